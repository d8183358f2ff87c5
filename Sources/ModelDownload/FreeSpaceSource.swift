import Glibc

/// Tells how many bytes may still be written in a directory, so that a pull can refuse a file that does not fit.
public protocol FreeSpaceSource: Sendable {
    /// The bytes an unprivileged process may still write on the file system that holds `directory`.
    func availableBytes(in directory: String) throws -> Int64
}

/// The free space statvfs(3) reports: the blocks available to unprivileged users times the fragment size.
public struct FileSystemFreeSpace: FreeSpaceSource {
    /// Creates the source.
    public init() {}

    public func availableBytes(in directory: String) throws -> Int64 {
        var status = statvfs()
        guard statvfs(directory, &status) == 0 else { throw FileSystem.error(path: directory) }
        let bytes = UInt64(status.f_bavail).multipliedReportingOverflow(by: UInt64(status.f_frsize))
        return bytes.overflow || bytes.partialValue > UInt64(Int64.max) ? Int64.max : Int64(bytes.partialValue)
    }
}
