import EngineSupport
public import InferenceTypes

extension RKLLMEngine {
    /// Embeds each input with one `rkllm_run` in `RKLLM_INFER_GET_LAST_HIDDEN_LAYER` mode: the hidden states of
    /// its tokens pooled (their mean, or the last token's, as the model's sidecar or family says) and
    /// L2-normalised. Only embedding models embed; the others throw `.invalidRequest`.
    public func embed(_ inputs: [String], truncate: Bool) async throws -> EmbeddingResult {
        guard case .embedding(let pooling, let appendsEndOfText) = session.configuration.purpose else {
            throw InferenceError.embeddingsUnsupported
        }
        let start = MonotonicClock.now()
        let session = self.session
        return try await thread.run { () throws(InferenceError) -> EmbeddingResult in
            var vectors: [[Float]] = []
            var tokens = 0
            for text in inputs {
                let input = RKLLMTensorInput(body: text, tail: appendsEndOfText ? Self.endOfText : "")
                let reader = try session.runTensors(input, mode: .lastHiddenLayer(pooling), truncate: truncate)
                vectors.append(UnitVector.normalized(reader.vector))
                tokens += reader.tokens
            }
            return EmbeddingResult(vectors: vectors, promptTokens: tokens, totalNanos: MonotonicClock.now() - start)
        }
    }

    /// Qwen3-Embedding's end-of-text token, which its card adds to each input before taking the last token.
    static let endOfText = "<|endoftext|>"

    /// Why a request to generate text is refused: an embedding model or a reranker does not chat (as Ollama
    /// refuses to generate with an embedding model). `nil` for a chat model.
    static func generationRefusal(_ configuration: RKLLMModelConfiguration) -> InferenceError? {
        switch configuration.purpose {
        case .chat: nil
        case .embedding:
            .invalidRequest(
                "model '\(configuration.name)' is an embedding model and does not generate text; use /v1/embeddings or /api/embed"
            )
        case .reranker:
            .invalidRequest("model '\(configuration.name)' is a reranker and does not generate text; use /v1/rerank")
        }
    }
}
