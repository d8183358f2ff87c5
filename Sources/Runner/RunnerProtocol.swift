public import InferenceCore

/// What the server asks of a runner process.
///
/// The protocol: each message is one frame, a 4-byte big-endian length and that many bytes of JSON. The
/// server sends `load` first and waits for `loaded` or `loadFailed`; then any number of `generate` and
/// `embed` requests run at once, each named by an id the server chose; `unload` ends the runner.
public enum RunnerCommand: Sendable, Codable {
    /// Load this model; answered by `loaded` or `loadFailed`.
    case load(ModelDescriptor)
    /// Start a generation; answered by `event`s, the last one `.done`, or by `failed`.
    case generate(id: UInt64, request: GenerationRequest)
    /// Stop the generation `id`; it ends with `.done` (reason cancelled) or `failed`.
    case cancel(id: UInt64)
    /// Compute embeddings; answered by `embedded` or `failed`.
    case embed(id: UInt64, inputs: [String], truncate: Bool)
    /// Free the model and exit; answered by `unloaded` just before the runner exits.
    case unload
}

/// What a runner process tells the server.
public enum RunnerReply: Sendable, Codable {
    /// The model is loaded.
    case loaded(ModelInfo)
    /// The model could not be loaded; the runner exits after sending this.
    case loadFailed(InferenceError)
    /// One event of the generation `id`.
    case event(id: UInt64, event: GenerationEvent)
    /// The request `id` failed.
    case failed(id: UInt64, error: InferenceError)
    /// The embeddings of the request `id`.
    case embedded(id: UInt64, result: EmbeddingResult)
    /// The model is freed; the runner exits next.
    case unloaded
}
