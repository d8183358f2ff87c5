import Glibc
import Synchronization

/// Catches what a C call writes straight to the process's standard error, for runtimes that explain a refusal
/// only there (the RKNN runtime's `E RKNN:` lines, llama.cpp's grammar parser), then writes it back so the log
/// still shows it, rewritten as the caller asks (a grammar printed in full replaced by a note).
///
/// While the body runs, file descriptor 2 points at an anonymous temporary file; afterwards it points back at the
/// real standard error. Output of other threads in that time is caught too and written back after it, late but
/// whole. Every capture of the process goes through this one lock, so captures never overlap: an overlap would
/// leave standard error on a temporary file.
public enum StandardErrorCapture {
    private static let lock = Mutex<Void>(())

    /// Runs `body` with standard error caught; returns its result and the text caught (the first 16 MiB). What
    /// was caught is written back to standard error as `shown` makes it.
    public static func run<Result>(
        _ body: () -> Result, showing shown: (String) -> String = { $0 }
    ) -> (result: Result, caught: String) {
        lock.withLock { _ in
            fflush(nil)
            guard let file = tmpfile() else { return (body(), "") }
            defer { fclose(file) }
            let saved = dup(STDERR_FILENO)
            guard saved >= 0, dup2(fileno(file), STDERR_FILENO) >= 0 else {
                if saved >= 0 { close(saved) }
                return (body(), "")
            }
            let result = body()
            fflush(nil)
            dup2(saved, STDERR_FILENO)
            close(saved)
            let caught = contents(of: fileno(file))
            guard !caught.isEmpty else { return (result, "") }
            writeAll(Array(shown(caught).utf8))
            return (result, caught)
        }
    }

    /// The most bytes read back from the temporary file.
    private static let maxCaughtBytes = 16 << 20

    /// What was written to the file `descriptor` refers to, from its start, up to `maxCaughtBytes`.
    private static func contents(of descriptor: Int32) -> String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var position: off_t = 0
        while bytes.count < maxCaughtBytes {
            let count = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, position) }
            if count <= 0 { break }
            bytes += chunk[0..<count]
            position += off_t(count)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func writeAll(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            // The base address is non-nil: the loop runs only for a non-empty array.
            let written = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 { break }
            offset += written
        }
    }
}
