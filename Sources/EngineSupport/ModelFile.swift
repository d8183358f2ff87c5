public import FoundationEssentials
import Glibc
public import InferenceTypes

/// Safe access to files in the models directory, which anyone may have put there: only regular files are
/// opened (symbolic links to them are fine), and nothing ever blocks on a FIFO, a device or a directory.
public enum ModelFile {
    /// What `stat` tells of a regular file.
    public struct Status: Sendable, Equatable {
        /// The size in bytes.
        public var size: Int64
        /// When the file was last changed.
        public var modifiedAt: Date
    }

    /// The status of the regular file at `path`, following symbolic links; never opens it.
    /// - Throws: `.missing`, `.notRegularFile`, `.danglingLink` or `.unreadable`.
    public static func status(of path: String) throws(ModelFileError) -> Status {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            var link = stat()
            if code == ENOENT { throw lstat(path, &link) == 0 ? .danglingLink : .missing }
            throw .unreadable(reason: reason(code))
        }
        try requireRegular(info)
        let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        return Status(size: Int64(info.st_size), modifiedAt: Date(timeIntervalSince1970: modified))
    }

    /// Checks that `path` is a regular file that can be opened for reading, without blocking whatever it is.
    /// Engines call it before handing a path to a runtime that would open it blindly.
    public static func checkReadable(_ path: String) throws(ModelFileError) {
        let opened = try openForReading(path)
        close(opened.descriptor)
    }

    /// The contents of a small file, `nil` when nothing is at `path`.
    /// - Throws: `.tooLarge` past `limit` bytes (before reading any), or why the file cannot be read.
    public static func contents(of path: String, limit: Int) throws(ModelFileError) -> [UInt8]? {
        let opened: (descriptor: Int32, size: Int64)
        do {
            opened = try openForReading(path)
        } catch .missing {
            return nil
        }
        defer { close(opened.descriptor) }
        guard opened.size <= limit else { throw .tooLarge(bytes: opened.size, limit: limit) }
        var bytes = [UInt8](repeating: 0, count: Int(opened.size) + 1)
        var count = 0
        while count < bytes.count {
            // The pointer stays inside `bytes`, which holds `bytes.count - count` more bytes from `count` on.
            let read = bytes.withUnsafeMutableBytes {
                Glibc.read(opened.descriptor, $0.baseAddress! + count, $0.count - count)
            }
            if read < 0, errno == EINTR { continue }
            guard read >= 0 else { throw .unreadable(reason: reason(errno)) }
            if read == 0 { break }
            count += read
        }
        guard count <= limit else { throw .tooLarge(bytes: Int64(count), limit: limit) }
        bytes.removeLast(bytes.count - count)
        return bytes
    }

    /// Opens a regular file read-only. The caller closes the descriptor.
    ///
    /// `stat` comes first so that nothing but a regular file is ever opened (opening a device can act on it);
    /// the open itself is non-blocking and checked again with `fstat`, in case the name changed in between.
    package static func openForReading(_ path: String) throws(ModelFileError) -> (descriptor: Int32, size: Int64) {
        _ = try status(of: path)
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(reason: reason(errno)) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let code = errno
            close(descriptor)
            throw .unreadable(reason: reason(code))
        }
        do {
            try requireRegular(info)
        } catch {
            close(descriptor)
            throw error
        }
        return (descriptor, Int64(info.st_size))
    }

    private static func requireRegular(_ info: stat) throws(ModelFileError) {
        let type = info.st_mode & S_IFMT
        guard type != S_IFREG else { return }
        throw .notRegularFile(kind: kind(type))
    }

    /// How a file type reads in a sentence: `a FIFO`, `a directory`.
    private static func kind(_ type: mode_t) -> String {
        switch type {
        case S_IFIFO: "a FIFO"
        case S_IFDIR: "a directory"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "an unknown kind of file"
        }
    }

    /// The operating system's message for an `errno` value (`No such file or directory`).
    package static func reason(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
