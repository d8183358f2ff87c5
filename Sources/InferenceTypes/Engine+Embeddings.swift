extension Engine {
    /// Refuses: this engine's models do not compute embeddings.
    public func embed(_ inputs: [String], truncate: Bool) async throws -> EmbeddingResult {
        throw InferenceError.embeddingsUnsupported
    }
}

extension InferenceError {
    /// What an engine without embeddings throws; `InferenceService` names the model in its place.
    package static let embeddingsUnsupported = InferenceError.invalidRequest("this model does not support embeddings")
}
