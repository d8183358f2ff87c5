/// What is known of one named prompt cache (`POST /v1/cache/{model}`): kept beside its state file as
/// `<name>.json`, so that it survives a restart and an unload.
public struct PromptCacheEntry: Sendable, Codable, Equatable {
    /// The cache's name.
    public var name: String
    /// The model it was made for, by id.
    public var model: String
    /// The file name of that model.
    public var modelFile: String
    /// The size of that file in bytes; a file of another size is another model.
    public var modelBytes: Int64
    /// The runtime that wrote the state (`ModelInfo.runtimeVersion`).
    public var runtimeVersion: String
    /// The prompt the client sent (a system prompt).
    public var prompt: String
    /// The text the engine evaluated: the rendered start of a conversation, or the prompt itself for an engine
    /// that formats conversations itself.
    public var text: String
    /// Tokens in the state.
    public var tokens: Int
    /// The size of the state file in bytes.
    public var bytes: UInt64
    /// When it was made, in seconds since 1970.
    public var created: Int

    enum CodingKeys: String, CodingKey {
        case name, model, prompt, text, tokens, bytes, created
        case modelFile = "model_file"
        case modelBytes = "model_bytes"
        case runtimeVersion = "runtime_version"
    }

    /// Describes a cache.
    public init(
        name: String, model: String, modelFile: String, modelBytes: Int64, runtimeVersion: String, prompt: String,
        text: String, tokens: Int, bytes: UInt64, created: Int
    ) {
        self.name = name
        self.model = model
        self.modelFile = modelFile
        self.modelBytes = modelBytes
        self.runtimeVersion = runtimeVersion
        self.prompt = prompt
        self.text = text
        self.tokens = tokens
        self.bytes = bytes
        self.created = created
    }
}
