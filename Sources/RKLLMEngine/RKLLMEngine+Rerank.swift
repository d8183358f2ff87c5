import EngineSupport
public import InferenceTypes

extension RKLLMEngine {
    /// Scores each document with one `rkllm_run` in `RKLLM_INFER_GET_LOGITS` mode on Qwen3-Reranker's prompt:
    /// the probability of "yes" against "no" as the answer's first token. A document too long for the context
    /// is cut. Only rerankers rerank; the others throw `.invalidRequest`.
    public func rerank(query: String, documents: [String]) async throws -> RerankResult {
        guard case .reranker(let format) = session.configuration.purpose else {
            throw InferenceError.rerankUnsupported
        }
        let start = MonotonicClock.now()
        let session = self.session
        return try await thread.run { () throws(InferenceError) -> RerankResult in
            var scores: [Double] = []
            var tokens = 0
            // The prompt around the document, which is the part that may be cut.
            let marker = "\u{0}"
            let parts = format.prompt(query: query, document: marker).split(
                separator: marker, omittingEmptySubsequences: false)
            for document in documents {
                let input = RKLLMTensorInput(head: String(parts[0]), body: document, tail: String(parts[1]))
                let reader = try session.runTensors(
                    input, mode: .logits(yes: format.yesToken, no: format.noToken), truncate: true)
                guard let logits = reader.logits else { throw .engineFailure("the RKLLM runtime returned no logits") }
                scores.append(RKLLMRerankFormat.score(yes: logits.yes, no: logits.no))
                tokens += reader.tokens
            }
            return RerankResult(scores: scores, promptTokens: tokens, totalNanos: MonotonicClock.now() - start)
        }
    }
}
