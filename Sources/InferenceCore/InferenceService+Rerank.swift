public import InferenceTypes

extension InferenceService {
    /// Scores `documents` against `query` on the model of that name (a reranker), loading it first when needed.
    ///
    /// Throws `InferenceError.invalidRequest` for an empty query, no documents, or a model that does not rerank
    /// (naming it).
    public func rerank(
        model name: String, query: String, documents: [String], keepAlive: KeepAlive?
    ) async throws -> (model: ModelDescriptor, result: RerankResult, loadNanos: UInt64) {
        guard !query.isEmpty else { throw InferenceError.invalidRequest("the query is empty") }
        guard !documents.isEmpty else { throw InferenceError.invalidRequest("there are no documents") }
        let descriptor = try model(named: name)
        let lease = try await manager.acquire(descriptor, keepAlive: keepAlive)
        defer { lease.release() }
        do {
            return (descriptor, try await lease.engine.rerank(query: query, documents: documents), lease.loadNanos)
        } catch let error as InferenceError where error == .rerankUnsupported {
            throw InferenceError.invalidRequest("model '\(descriptor.id)' does not rerank")
        }
    }
}
