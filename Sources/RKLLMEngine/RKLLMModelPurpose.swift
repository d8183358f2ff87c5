import InferenceTypes

/// What an `.rkllm` model is for: chat, embeddings (hidden states, pooled) or reranking (a yes/no judgement's
/// logits). Its sidecar says so (`embedding`, `reranker`); else its file name, for the families this server
/// knows.
enum RKLLMModelPurpose: Sendable, Equatable {
    /// A chat model: it generates text.
    case chat
    /// An embedding model, pooled this way; `appendsEndOfText` adds `<|endoftext|>` to each input, as
    /// Qwen3-Embedding's card does before taking the last token.
    case embedding(pooling: RKLLMPooling, appendsEndOfText: Bool)
    /// A Qwen3-Reranker-style model: its answer's first token is "yes" or "no".
    case reranker(RKLLMRerankFormat)

    /// Qwen3-Reranker's token ids of "yes" and "no" (the Qwen2 tokenizer's `yes` and `no`).
    static let qwenYesToken = 9693
    static let qwenNoToken = 2152

    /// The purpose the sidecar gives, else the one the model's name shows.
    init(sidecar: RKLLMSidecar?, name: String) {
        let lowered = name.lowercased()
        let qwen3Embedding = lowered.hasPrefix("qwen3-embedding")
        if let reranker = sidecar?.reranker {
            self = .reranker(
                RKLLMRerankFormat(
                    yesToken: reranker.yesToken ?? Self.qwenYesToken, noToken: reranker.noToken ?? Self.qwenNoToken,
                    instruction: reranker.instruction ?? RKLLMRerankFormat.defaultInstruction))
        } else if let embedding = sidecar?.embedding {
            self = .embedding(
                pooling: embedding.pooling ?? (qwen3Embedding ? .last : .mean),
                appendsEndOfText: embedding.appendEndOfText ?? qwen3Embedding)
        } else if ["qwen3-reranker", "bge-reranker"].contains(where: lowered.hasPrefix) {
            self = .reranker(
                RKLLMRerankFormat(
                    yesToken: Self.qwenYesToken, noToken: Self.qwenNoToken,
                    instruction: RKLLMRerankFormat.defaultInstruction))
        } else if qwen3Embedding {
            self = .embedding(pooling: .last, appendsEndOfText: true)
        } else if ["bge-", "gte-", "e5-"].contains(where: lowered.hasPrefix) {
            self = .embedding(pooling: .mean, appendsEndOfText: false)
        } else {
            self = .chat
        }
    }

    /// Whether the model computes embeddings.
    var embeds: Bool {
        if case .embedding = self { return true }
        return false
    }

    /// Whether the model reranks.
    var reranks: Bool {
        if case .reranker = self { return true }
        return false
    }
}

/// How one vector is made of an input's hidden states: their mean, or the last token's.
public enum RKLLMPooling: String, Sendable, Equatable, Decodable {
    case mean, last
}
