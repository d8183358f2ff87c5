import Glibc
import Synchronization

/// Catches what the RKNN runtime prints on standard error during one call (it explains a refusal only there,
/// in `E RKNN: ...` lines), then writes it back, so the log still shows it.
///
/// While the body runs, file descriptor 2 points at an anonymous temporary file; output of other threads in
/// that time is caught too and written back after it, late but whole. Captures are serialized; one that
/// overlaps llama.cpp's capture (LlamaEngine's `StandardErrorCapture`, another lock) leaves standard error where
/// that one put it back.
enum RKNNStandardError {
    private static let lock = Mutex<Void>(())

    /// Runs `body` and returns its result with the runtime's last `E RKNN:` line, without the prefix.
    static func capturingLastError<Result>(_ body: () -> Result) -> (result: Result, lastError: String?) {
        lock.withLock { _ in
            fflush(nil)
            guard let file = tmpfile() else { return (body(), nil) }
            defer { fclose(file) }
            let saved = dup(STDERR_FILENO)
            guard saved >= 0, dup2(fileno(file), STDERR_FILENO) >= 0 else {
                if saved >= 0 { close(saved) }
                return (body(), nil)
            }
            let result = body()
            fflush(nil)
            // Another capture (llama.cpp's) that began during the body has already put its own saved descriptor
            // back; restoring ours then would point standard error at the temporary file for good.
            if refersToSameFile(STDERR_FILENO, fileno(file)) { dup2(saved, STDERR_FILENO) }
            close(saved)
            let caught = contents(of: fileno(file))
            writeAll(caught)
            let line = String(decoding: caught, as: UTF8.self).split(separator: "\n").last { $0.contains("E RKNN") }
            guard let line else { return (result, nil) }
            guard let range = line.firstRange(of: "E RKNN:") else { return (result, String(line)) }
            return (result, line[range.upperBound...].trimmingPrefix(" ").description)
        }
    }

    /// Whether two descriptors refer to the same file.
    private static func refersToSameFile(_ first: Int32, _ second: Int32) -> Bool {
        var one = stat()
        var two = stat()
        guard fstat(first, &one) == 0, fstat(second, &two) == 0 else { return false }
        return one.st_dev == two.st_dev && one.st_ino == two.st_ino
    }

    /// The first 64 KiB written to the file `descriptor` refers to.
    private static func contents(of descriptor: Int32) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 1 << 16)
        var count = 0
        while count < bytes.count {
            // The pointer stays inside `bytes`, which holds `bytes.count - count` more bytes from `count` on.
            let read = bytes.withUnsafeMutableBytes {
                pread(descriptor, $0.baseAddress! + count, $0.count - count, off_t(count))
            }
            if read <= 0 { break }
            count += read
        }
        return Array(bytes[0..<count])
    }

    private static func writeAll(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            // The pointer stays inside `bytes`: the loop runs only while `offset < bytes.count`.
            let written = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 { break }
            offset += written
        }
    }
}
