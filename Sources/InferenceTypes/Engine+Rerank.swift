extension Engine {
    /// Refuses: this engine's models do not rerank.
    public func rerank(query: String, documents: [String]) async throws -> RerankResult {
        throw InferenceError.rerankUnsupported
    }
}

extension InferenceError {
    /// What an engine without reranking throws; `InferenceService` names the model in its place.
    package static let rerankUnsupported = InferenceError.invalidRequest("this model does not rerank")
}
