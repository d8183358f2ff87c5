import Glibc
import Synchronization

/// Catches what a C call writes straight to the process's standard error (not through llama.cpp's log
/// callback), so that it can be filtered before it reaches the log.
///
/// llama.cpp's grammar parser prints a grammar it refuses in full with `fprintf(stderr, ...)`; a grammar can be
/// as large as a request, and it must not be written at the server's log level. While `run` runs its body,
/// file descriptor 2 points at an anonymous temporary file; afterwards it points back at the real standard
/// error, and what was caught is written there with the parts the caller names replaced. Output from other
/// threads during the call is caught too and written back after it, late but whole. Captures are serialized.
enum StandardErrorCapture {
    private static let lock = Mutex<Void>(())

    /// The longest line written back; a parse error's "at <the rest of the grammar>" is cut there.
    static let maxLineLength = 300

    /// Runs `body` with standard error caught; returns its result and the text caught. What was caught is
    /// then written to standard error with every occurrence of `hidden` replaced by `replacement` and each
    /// line cut at `maxLineLength` characters.
    static func run<Result>(
        hiding hidden: String, replacement: String, _ body: () -> Result
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
            var shown = caught
            if !hidden.isEmpty { shown = shown.replacing(hidden, with: replacement) }
            shown = shown.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                line.count > maxLineLength ? line.prefix(maxLineLength) + "..." : String(line)
            }.joined(separator: "\n")
            var bytes = Array(shown.utf8)
            var offset = 0
            while offset < bytes.count {
                // The base address is non-nil: the loop runs only for a non-empty array.
                let written = bytes.withUnsafeMutableBytes {
                    write(STDERR_FILENO, $0.baseAddress! + offset, $0.count - offset)
                }
                if written <= 0 { break }
                offset += written
            }
            return (result, caught)
        }
    }

    /// Everything written to the file `descriptor` refers to, from its start.
    private static func contents(of descriptor: Int32) -> String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var position: off_t = 0
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, position) }
            if count <= 0 { break }
            bytes += chunk[0..<count]
            position += off_t(count)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
