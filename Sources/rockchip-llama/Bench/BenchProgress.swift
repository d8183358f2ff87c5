import Glibc

/// Progress lines on standard error, so that a long run shows where it is and the report on standard output
/// stays clean.
enum BenchProgress {
    /// Prints `message` to standard error.
    static func say(_ message: String) {
        let line = Array("bench: \(message)\n".utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}
