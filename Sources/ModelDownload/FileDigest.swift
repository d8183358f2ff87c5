import Crypto
import NIOCore

/// SHA-256 of files already on disk, read in slices on the thread pool.
enum FileDigest {
    /// The bytes read per slice.
    static let sliceBytes = 4 << 20

    /// A hash function fed with every byte of the file at `path`, ready for more or to be finalized.
    /// Checks for cancellation between slices.
    static func hashing(fileAt path: String) async throws -> SHA256 {
        let file = try await BlockingIO.run { try OpenFile.reading(path) }
        var hasher = SHA256()
        while true {
            try Task.checkCancellation()
            let slice = try await BlockingIO.run { try file.read(upTo: sliceBytes) }
            if slice.readableBytes == 0 { return hasher }
            hasher.update(slice)
        }
    }

    /// The lower-case hexadecimal text of the digest so far.
    static func hex(of hasher: SHA256) -> String {
        SHA256Text.hex(hasher.finalize())
    }
}

extension SHA256 {
    /// Feeds the readable bytes of `buffer`.
    mutating func update(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { update(bufferPointer: $0) }
    }
}
