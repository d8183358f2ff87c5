import FoundationEssentials
import Glibc

/// The few file-system calls a pull makes besides writing its file; they block, and run through `BlockingIO`.
enum FileSystem {
    /// The size of the regular file at `path`, following symbolic links; `nil` when nothing is there.
    static func regularFileSize(at path: String) throws(ModelDownloadError) -> Int64? {
        var status = stat()
        guard stat(path, &status) == 0 else {
            if errno == ENOENT { return nil }
            throw error(path: path)
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw .fileSystem(path: path, reason: "it exists and is not a regular file")
        }
        return Int64(status.st_size)
    }

    /// Removes the file at `path`; nothing there is not an error.
    static func remove(_ path: String) throws(ModelDownloadError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw error(path: path) }
    }

    /// Renames `source` to `destination` atomically, replacing what was there (rename(2)).
    static func rename(_ source: String, to destination: String) throws(ModelDownloadError) {
        guard Glibc.rename(source, destination) == 0 else { throw error(path: destination) }
    }

    /// Creates `path` and its missing parents.
    static func createDirectory(_ path: String) throws(ModelDownloadError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .fileSystem(path: path, reason: "cannot create the directory: \(error)")
        }
    }

    /// The absolute path of `path` with every symbolic link, `.` and `..` resolved.
    static func realPath(_ path: String) throws(ModelDownloadError) -> String {
        guard let resolved = realpath(path, nil) else { throw error(path: path) }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Writes a directory's entries through to the storage device, so that a rename in it survives a power cut.
    static func synchronizeDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    /// The error for the failed call on `path`, from `errno`.
    static func error(path: String) -> ModelDownloadError {
        .fileSystem(path: path, reason: String(cString: strerror(errno)))
    }
}
