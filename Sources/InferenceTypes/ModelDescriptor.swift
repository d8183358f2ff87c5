public import FoundationEssentials

/// The file format of a model, which decides the engine that runs it.
public enum ModelFormat: String, Sendable, Hashable, Codable {
    /// llama.cpp's format, run on the CPU by the llama engine.
    case gguf
    /// Rockchip's format, run on the NPU by the RKLLM engine.
    case rkllm

    /// The format of a file, from its extension; `nil` for files that are not models.
    public init?(fileExtension: String) {
        self.init(rawValue: fileExtension.lowercased())
    }
}

/// A model file found in the models directory, and the names it answers to.
public struct ModelDescriptor: Sendable, Hashable, Codable {
    /// The name listed by the API; clients send it back to choose this model.
    public var id: String
    /// The absolute path of the file.
    public var path: String
    /// The file's format.
    public var format: ModelFormat
    /// The file's size in bytes.
    public var sizeBytes: Int64
    /// When the file was last changed.
    public var modifiedAt: Date

    /// Creates a descriptor.
    public init(id: String, path: String, format: ModelFormat, sizeBytes: Int64, modifiedAt: Date) {
        self.id = id
        self.path = path
        self.format = format
        self.sizeBytes = sizeBytes
        self.modifiedAt = modifiedAt
    }

    /// The file name, with its extension.
    public var fileName: String { PathNames.fileName(path) }

    /// The file name without its extension.
    public var stem: String { PathNames.stem(path) }
}
