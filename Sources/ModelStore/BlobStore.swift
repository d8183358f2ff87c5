import EngineSupport
import Glibc
public import InferenceTypes

/// The blobs of `POST /api/blobs/:digest`, in `<models>/blobs/sha256-<hex>`: files uploaded to become models
/// (`/api/create` with `files`). Only the bytes' own SHA-256 names a blob, so a blob is written once.
public struct BlobStore: Sendable {
    /// The blobs directory.
    public let directory: String

    /// The store of a models directory.
    public init(modelsDirectory: String) {
        directory = modelsDirectory + "/blobs"
    }

    /// The 64 lower-case hex digits of a `sha256:<hex>` (or `sha256-<hex>`) digest, or an `.invalidRequest`.
    public static func hex(of digest: String) throws(InferenceError) -> String {
        let hexDigits = Set("0123456789abcdef")
        for prefix in ["sha256:", "sha256-"] where digest.hasPrefix(prefix) {
            let hex = String(digest.dropFirst(prefix.count)).lowercased()
            if hex.count == 64, hex.allSatisfy({ hexDigits.contains($0) }) { return hex }
        }
        throw .invalidRequest("invalid digest \"\(digest)\": expected sha256:<64 hex digits>")
    }

    /// The path of the blob of that hex digest.
    public func path(ofHex hex: String) -> String {
        "\(directory)/sha256-\(hex)"
    }

    /// Whether the blob is stored (as a regular file).
    public func contains(hex: String) -> Bool {
        (try? ModelFile.status(of: path(ofHex: hex))) != nil
    }

    /// A new temporary file for the blob of `hex`, opened for writing: the caller writes the bytes, then
    /// `commit`s it or removes it.
    public func makeTemporaryFile(hex: String) throws(InferenceError) -> (descriptor: Int32, path: String) {
        if mkdir(directory, 0o755) != 0, errno != EEXIST {
            throw .engineFailure("cannot make the blobs directory: \(ModelFile.reason(errno))")
        }
        let path = "\(directory)/.sha256-\(hex).\(UInt32.random(in: 0...UInt32.max)).partial"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .engineFailure("cannot store the blob: \(ModelFile.reason(errno))") }
        return (descriptor, path)
    }

    /// Renames a written temporary file to the blob's name.
    public func commit(_ temporary: String, hex: String) throws(InferenceError) {
        guard rename(temporary, path(ofHex: hex)) == 0 else {
            let reason = ModelFile.reason(errno)
            unlink(temporary)
            throw .engineFailure("cannot store the blob: \(reason)")
        }
    }

    /// Makes the blob of `hex` the model file `fileName` of the models directory: a hard link, else a copy.
    /// A file name that is taken is an `.invalidRequest`.
    public func install(hex: String, as fileName: String, in registry: ModelRegistry) throws(InferenceError)
        -> ModelDescriptor
    {
        let source = path(ofHex: hex)
        guard contains(hex: hex) else {
            throw .invalidRequest("blob sha256:\(hex) not found; upload it with POST /api/blobs/sha256:\(hex)")
        }
        let destination = registry.directory + "/" + fileName
        var info = stat()
        if lstat(destination, &info) == 0 {
            throw .invalidRequest("a file named \(fileName) already exists; remove it or choose another name")
        }
        try ModelRegistry.link(source, destination, source: "sha256-\(hex)", copy: fileName)
        guard let model = registry.models().first(where: { $0.fileName == fileName }) else {
            throw .engineFailure("\(fileName) does not show in the models directory")
        }
        return model
    }
}
