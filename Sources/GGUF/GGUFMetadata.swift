import EngineSupport
import Glibc
public import InferenceTypes

/// The key-value header of a GGUF file, read without loading the model: architecture, context length,
/// chat template, size label. Arrays (the vocabulary) are skipped, not kept.
///
/// The file is untrusted: a header that claims more than the file holds, nests arrays too deep or keeps too
/// much is a `ModelFileError`, never a crash, a hang or a large allocation (see `Limits`).
public struct GGUFMetadata: Sendable, Equatable {
    /// A header value this reader keeps: numbers, booleans and strings.
    public enum Value: Sendable, Equatable {
        case integer(Int64), float(Double), bool(Bool), string(String)
    }

    /// What a header may hold before it is refused.
    public struct Limits: Sendable, Equatable {
        /// The deepest arrays may nest (an array of arrays is depth 2).
        public var maxArrayDepth: Int
        /// The longest string kept; longer ones are skipped, except a chat template, which is an error.
        public var maxStringBytes: Int
        /// The most bytes of keys and kept values, all together.
        public var maxMetadataBytes: Int
        /// How far into the file the header may reach; it bounds the work of reading one (a large vocabulary
        /// takes a few dozen MiB).
        public var maxHeaderBytes: Int

        /// Creates limits; the defaults are far above what real models hold.
        public init(
            maxArrayDepth: Int = 64, maxStringBytes: Int = 4 << 20, maxMetadataBytes: Int = 16 << 20,
            maxHeaderBytes: Int = 256 << 20
        ) {
            self.maxArrayDepth = maxArrayDepth
            self.maxStringBytes = maxStringBytes
            self.maxMetadataBytes = maxMetadataBytes
            self.maxHeaderBytes = maxHeaderBytes
        }
    }

    /// The values by key.
    public var values: [String: Value]

    /// Reads the header of the file at `path`, which must be a regular file (or a link to one).
    public init(path: String, limits: Limits = Limits()) throws(ModelFileError) {
        let opened = try ModelFile.openForReading(path)
        defer { close(opened.descriptor) }
        var parser = GGUFHeaderParser(
            bytes: GGUFByteWindow(descriptor: opened.descriptor, count: Int(opened.size)), limits: limits)
        values = try parser.parse()
    }

    /// Reads a header from bytes in memory, with the same parser as files (what a fuzzer drives).
    public init(bytes: [UInt8], limits: Limits = Limits()) throws(ModelFileError) {
        var parser = GGUFHeaderParser(bytes: GGUFByteWindow(bytes: bytes), limits: limits)
        values = try parser.parse()
    }

    /// A string value.
    public func string(_ key: String) -> String? {
        if case .string(let value)? = values[key] { return value }
        return nil
    }

    /// An integer value.
    public func integer(_ key: String) -> Int64? {
        if case .integer(let value)? = values[key] { return value }
        return nil
    }

    /// `general.architecture`, e.g. `llama` or `qwen2`.
    public var architecture: String? { string("general.architecture") }

    /// `<arch>.context_length`.
    public var contextLength: Int? {
        architecture.flatMap { integer("\($0).context_length") }.map(Int.init)
    }

    /// `<arch>.embedding_length`.
    public var embeddingLength: Int? {
        architecture.flatMap { integer("\($0).embedding_length") }.map(Int.init)
    }

    /// `tokenizer.chat_template`.
    public var chatTemplate: String? { string("tokenizer.chat_template") }
}
