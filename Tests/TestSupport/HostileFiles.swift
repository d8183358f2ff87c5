import Foundation
import Glibc
import Synchronization

/// Entries that no model file should be: FIFOs, directories, dangling links, sparse giants.
public enum HostileFiles {
    /// Makes a FIFO at `path`.
    public static func makeFIFO(at path: String) throws {
        guard mkfifo(path, 0o644) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    /// Makes a sparse file of `size` bytes at `path` (it takes no disk space).
    public static func makeSparseFile(at path: String, size: Int) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard truncate(path, off_t(size)) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    /// A fresh empty directory, removed by the caller.
    public static func makeDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs `body`, which must not block on the FIFOs in `fifos`: should it still be running after
    /// `seconds`, a writer opens each FIFO to release it, and the answer is `false`.
    public static func finishes<T>(
        within seconds: Double, releasing fifos: [String], _ body: () async throws -> T
    ) async rethrows -> (value: T, inTime: Bool) {
        let done = DispatchSemaphore(value: 0)
        let late = LateFlag()
        let watchdog = Thread {
            guard done.wait(timeout: .now() + seconds) == .timedOut else { return }
            late.set()
            // O_RDWR never blocks on a FIFO and lets a reader blocked in open(2) through.
            for fifo in fifos {
                let descriptor = open(fifo, O_RDWR | O_NONBLOCK)
                if descriptor >= 0 { close(descriptor) }
            }
        }
        watchdog.start()
        defer { done.signal() }
        let value = try await body()
        return (value, !late.isSet)
    }
}

/// A flag set once from another thread.
private final class LateFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
