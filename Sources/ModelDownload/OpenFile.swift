import Glibc
import InferenceCore
import InferenceTypes
import NIOCore

/// An open file descriptor and its one owner: it is closed once, when the last reference goes.
///
/// Its calls block; callers run them through `BlockingIO`.
final class OpenFile: Sendable {
    /// The path the file was opened at, for messages.
    let path: String
    private let descriptor: Int32

    /// Opens `path` for appending, creating it when missing and refusing to follow a symbolic link.
    static func appending(to path: String) throws(ModelDownloadError) -> OpenFile {
        try OpenFile(path: path, flags: O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC)
    }

    /// Opens `path` for reading.
    static func reading(_ path: String) throws(ModelDownloadError) -> OpenFile {
        try OpenFile(path: path, flags: O_RDONLY | O_CLOEXEC)
    }

    private init(path: String, flags: Int32) throws(ModelDownloadError) {
        let descriptor = open(path, flags, 0o644)
        guard descriptor >= 0 else { throw FileSystem.error(path: path) }
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// The file's size in bytes.
    func size() throws(ModelDownloadError) -> Int64 {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw FileSystem.error(path: path) }
        return Int64(status.st_size)
    }

    /// Takes an exclusive lock on the file without waiting (flock(2)); `false` when another open file holds one,
    /// in this process or another. The lock goes with the descriptor.
    func lockExclusively() throws(ModelDownloadError) -> Bool {
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            if errno == EWOULDBLOCK { return false }
            throw FileSystem.error(path: path)
        }
        return true
    }

    /// Empties the file.
    func truncate() throws(ModelDownloadError) {
        guard ftruncate(descriptor, 0) == 0 else { throw FileSystem.error(path: path) }
    }

    /// Writes all readable bytes of `buffer` at the end of the file; a full disk (or quota) is
    /// `notEnoughDiskSpace`.
    func append(_ buffer: ByteBuffer) throws(ModelDownloadError) {
        let unwritten = buffer.withUnsafeReadableBytes { bytes -> Int in
            var offset = 0
            while offset < bytes.count {
                // The base address is non-nil here: the loop only runs for a non-empty buffer.
                let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return bytes.count - offset
                }
                offset += written
            }
            return 0
        }
        guard unwritten > 0 else { return }
        if errno == ENOSPC || errno == EDQUOT {
            throw .notEnoughDiskSpace(directory: PathNames.directory(path), needed: Int64(unwritten), available: 0)
        }
        throw FileSystem.error(path: path)
    }

    /// Reads up to `count` bytes from the current position; an empty buffer at the end of the file.
    func read(upTo count: Int) throws(ModelDownloadError) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        while true {
            var failed = false
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { bytes in
                let result = Glibc.read(descriptor, bytes.baseAddress, count)
                failed = result < 0
                return max(result, 0)
            }
            if !failed { return buffer }
            if errno != EINTR { throw FileSystem.error(path: path) }
        }
    }

    /// Writes the file's data through to the storage device.
    func synchronize() throws(ModelDownloadError) {
        guard fsync(descriptor) == 0 else { throw FileSystem.error(path: path) }
    }
}
