import Crypto
import EngineSupport
import Glibc
public import InferenceTypes
import ModelStore

/// One blob being uploaded (`POST /api/blobs/:digest`): the bytes go to a temporary file and into SHA-256 as
/// they arrive, never all in memory; `finish` keeps the file under the blob's name only when the bytes' hash
/// is the digest. An upload that is not finished removes its temporary file when it goes away.
///
/// One task writes it, in order; it is not shared.
public final class BlobUpload {
    private let store: BlobStore
    private let hex: String
    private var descriptor: Int32
    private let temporaryPath: String
    private var hasher = SHA256()
    private var finished = false

    init(store: BlobStore, hex: String) throws(InferenceError) {
        self.store = store
        self.hex = hex
        let file = try store.makeTemporaryFile(hex: hex)
        descriptor = file.descriptor
        temporaryPath = file.path
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        if !finished { unlink(temporaryPath) }
    }

    /// Appends bytes; a failed write (a full disk) is an `.engineFailure` and ends the upload.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(InferenceError) {
        guard !finished, descriptor >= 0 else { throw .engineFailure("the upload has ended") }
        hasher.update(bufferPointer: bytes)
        var written = 0
        while written < bytes.count {
            // The pointer stays inside `bytes`: at most `bytes.count - written` bytes from `written` on.
            let count = Glibc.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                let reason = ModelFile.reason(errno)
                abandon()
                throw .engineFailure("cannot store the blob: \(reason)")
            }
            written += count
        }
    }

    /// Keeps the blob when its bytes hash to the digest; else removes them and throws `.invalidRequest`.
    public func finish() throws(InferenceError) {
        guard !finished, descriptor >= 0 else { throw .engineFailure("the upload has ended") }
        let actual = hasher.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
        let closeFailure = close(descriptor) == 0 ? nil : ModelFile.reason(errno)
        descriptor = -1
        guard actual == hex else {
            abandon()
            throw .invalidRequest("digest mismatch: the body's digest is sha256:\(actual), not sha256:\(hex)")
        }
        if let closeFailure {
            abandon()
            throw .engineFailure("cannot store the blob: \(closeFailure)")
        }
        finished = true
        try store.commit(temporaryPath, hex: hex)
    }

    /// Ends the upload and removes what was written.
    public func abandon() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        if !finished { unlink(temporaryPath) }
        finished = true
    }
}
