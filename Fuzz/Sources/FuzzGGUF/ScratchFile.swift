import Glibc

/// One file in `/dev/shm` (memory, not disk) that holds the current input for readers that take a path.
///
/// libFuzzer runs inputs one at a time on one thread, so one file per process is enough; it is removed at exit.
final class ScratchFile: Sendable {
    /// The process's scratch file.
    static let shared = ScratchFile()

    /// `/dev/shm/rockchip-llama-fuzz-<pid>.gguf`.
    let path: String

    private init() {
        path = "/dev/shm/rockchip-llama-fuzz-\(getpid()).gguf"
        atexit { unlink(ScratchFile.shared.path) }
    }

    /// Replaces the file's content with `bytes` and returns its path.
    func write(_ bytes: [UInt8]) throws(ScratchFileError) -> String {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw ScratchFileError(path: path) }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            // The buffer is non-empty here (written < count), so its base address exists and the range is in it.
            let result = bytes.withUnsafeBytes {
                Glibc.write(descriptor, $0.baseAddress! + written, bytes.count - written)
            }
            guard result > 0 else { throw ScratchFileError(path: path) }
            written += result
        }
        return path
    }
}

/// The scratch file could not be written.
struct ScratchFileError: Error {
    /// The file.
    let path: String
}
