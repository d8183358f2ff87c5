import Dispatch
import EngineSupport
import Glibc
import InferenceTypes
import Synchronization

/// The RKLLM runtime reports its errors only as lines it prints (`E RKLLM: ...`). The tap puts a pipe in
/// front of the process's stdout and stderr, forwards every byte to where it went before, and keeps the
/// runtime's recent lines so that a failed load or run can be explained with the runtime's own words.
///
/// Installed once, when the first RKLLM runtime is opened.
final class RKLLMOutputTap: Sendable {
    private struct Line {
        var time: UInt64
        var text: String
    }

    private static let installed = Mutex<RKLLMOutputTap?>(nil)
    private let lines = Mutex<[Line]>([])
    /// The tapped descriptors with their originals, and a signal per reader that it has drained its pipe.
    private let taps = Mutex<[(descriptor: Int32, original: Int32, drained: DispatchSemaphore)]>([])

    /// The process's tap, installed on first use.
    static func shared() -> RKLLMOutputTap {
        installed.withLock { tap in
            if let tap { return tap }
            let created = RKLLMOutputTap()
            created.tap(descriptor: STDOUT_FILENO)
            created.tap(descriptor: STDERR_FILENO)
            tap = created
            atexit { RKLLMOutputTap.restoreAtExit() }
            return created
        }
    }

    /// The runtime's error lines printed since `time` (a `MonotonicClock` reading), oldest first.
    func errors(since time: UInt64) -> [String] {
        lines.withLock { lines in
            lines.filter { $0.time >= time && $0.text.contains("E RKLLM") }.map(\.text)
        }
    }

    /// The last runtime error since `time`, without its `E RKLLM:` prefix. The runtime prints its error just
    /// before it returns, so this waits up to `wait` seconds for the line to come through the pipe.
    func lastError(since time: UInt64, wait: Double = 0.25) -> String? {
        let deadline = MonotonicClock.now() + UInt64(wait * 1e9)
        var found = errors(since: time).last
        while found == nil, MonotonicClock.now() < deadline {
            usleep(2_000)
            found = errors(since: time).last
        }
        guard let line = found else { return nil }
        guard let range = line.firstRange(of: "E RKLLM:") else { return line }
        return String(line[range.upperBound...]).trimmingPrefix(" ").description
    }

    /// The runtime's version as its init line tells it since `time` (`I rkllm: rkllm-runtime version: 1.2.1,
    /// rknpu driver version: ...`), as `RKLLM 1.2.1`; `nil` when no such line came within `wait` seconds.
    func runtimeVersion(since time: UInt64, wait: Double = 0.1) -> String? {
        let marker = "rkllm-runtime version:"
        let deadline = MonotonicClock.now() + UInt64(wait * 1e9)
        while true {
            let line = lines.withLock { lines in
                lines.last { $0.time >= time && $0.text.lowercased().contains(marker) }?.text
            }
            if let line = line?.lowercased(), let range = line.firstRange(of: marker) {
                let version = line[range.upperBound...].prefix { $0 != "," }.filter { $0 != " " }
                return version.isEmpty ? nil : "RKLLM \(version)"
            }
            guard MonotonicClock.now() < deadline else { return nil }
            usleep(2_000)
        }
    }

    private func tap(descriptor: Int32) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return }
        let original = dup(descriptor)
        guard original >= 0, dup2(ends[1], descriptor) >= 0 else {
            close(ends[0])
            close(ends[1])
            return
        }
        close(ends[1])
        let reader = ends[0]
        let drained = DispatchSemaphore(value: 0)
        taps.withLock { $0.append((descriptor, original, drained)) }
        DispatchQueue(label: "rkllm-output-tap-\(descriptor)").async { [self] in
            self.forward(from: reader, to: original)
            drained.signal()
        }
    }

    /// At exit, points stdout and stderr back at their originals, which closes the pipes, and waits
    /// briefly for the readers to forward what is still in them, so that no last line is lost.
    private static func restoreAtExit() {
        guard let tap = installed.withLock({ $0 }) else { return }
        fflush(nil)
        let taps = tap.taps.withLock { $0 }
        for entry in taps { dup2(entry.original, entry.descriptor) }
        for entry in taps { _ = entry.drained.wait(timeout: .now() + .seconds(1)) }
    }

    /// Copies everything from the pipe to the original descriptor, remembering runtime lines.
    private func forward(from reader: Int32, to original: Int32) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var pending: [UInt8] = []
        while true {
            let count = read(reader, &buffer, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }
            var written = 0
            while written < count {
                let result = buffer.withUnsafeBytes { write(original, $0.baseAddress! + written, count - written) }
                if result <= 0 { break }
                written += result
            }
            pending.append(contentsOf: buffer[0..<count])
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let text = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                if text.lowercased().contains("rkllm") { remember(text) }
            }
            if pending.count > 8192 { pending.removeAll() }
        }
    }

    private func remember(_ text: String) {
        let line = Line(time: MonotonicClock.now(), text: text)
        lines.withLock { lines in
            lines.append(line)
            if lines.count > 200 { lines.removeFirst(lines.count - 200) }
        }
    }
}
