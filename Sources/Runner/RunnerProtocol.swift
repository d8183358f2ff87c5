import EngineSupport
public import InferenceTypes

/// What the server asks of a runner process.
///
/// The protocol: each message is one frame, a 4-byte big-endian length and that many bytes of JSON. The
/// server sends `load` first and waits for `loaded` or `loadFailed`; then any number of `generate`, `embed`,
/// `rerank`, `tokenize`, `detokenize` and `savePromptCache` requests run at once, each named by an id the server chose;
/// `unload` ends the runner.
public enum RunnerCommand: Sendable, Codable {
    /// Load this model with these engine settings; answered by `loaded` or `loadFailed`.
    case load(ModelDescriptor, options: RunnerEngineOptions)
    /// Start a generation; answered by `event`s, the last one `.done`, or by `failed`.
    case generate(id: UInt64, request: EngineRequest)
    /// Stop the generation `id`; it ends with `.done` (reason cancelled) or `failed`.
    case cancel(id: UInt64)
    /// Compute embeddings; answered by `embedded` or `failed`.
    case embed(id: UInt64, inputs: [String], truncate: Bool)
    /// Score documents against a query; answered by `reranked` or `failed`.
    case rerank(id: UInt64, query: String, documents: [String])
    /// Split text into token ids; answered by `tokenized` or `failed`.
    case tokenize(id: UInt64, text: String, addSpecial: Bool, parseSpecial: Bool)
    /// Turn token ids into text; answered by `detokenized` or `failed`.
    case detokenize(id: UInt64, tokens: [Int])
    /// Evaluate `input` and write the state it leaves to the file at `path`; answered by `savedPromptCache` or
    /// `failed`.
    case savePromptCache(id: UInt64, input: GenerationInput, path: String)
    /// Free the model and exit; answered by `unloaded` just before the runner exits.
    case unload
}

/// What a runner process tells the server.
public enum RunnerReply: Sendable, Codable {
    /// The model is loaded; its engine runs `slots` generations at once.
    case loaded(ModelInfo, slots: Int)
    /// The model could not be loaded; the runner exits after sending this.
    case loadFailed(InferenceError)
    /// One event of the generation `id`.
    case event(id: UInt64, event: EngineEvent)
    /// The request `id` failed.
    case failed(id: UInt64, error: InferenceError)
    /// The embeddings of the request `id`.
    case embedded(id: UInt64, result: EmbeddingResult)
    /// The scores of the request `id`.
    case reranked(id: UInt64, result: RerankResult)
    /// The token ids of the request `id`.
    case tokenized(id: UInt64, tokens: [Int])
    /// The text of the request `id`.
    case detokenized(id: UInt64, text: String)
    /// What the request `id` saved.
    case savedPromptCache(id: UInt64, result: SavedPromptCache)
    /// The model is freed; the runner exits next.
    case unloaded
}
