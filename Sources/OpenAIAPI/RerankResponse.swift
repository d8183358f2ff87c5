import InferenceTypes

/// The answer of `POST /v1/rerank`: the documents' indices and scores, the most relevant first, cut to `top_n`.
struct RerankResponse: Encodable, Sendable {
    struct Document: Encodable, Sendable {
        var text: String
    }

    struct Item: Encodable, Sendable {
        var index: Int
        var relevanceScore: Double
        /// Only when the request asked for `return_documents`.
        var document: Document?

        enum CodingKeys: String, CodingKey {
            case index, document
            case relevanceScore = "relevance_score"
        }
    }

    struct Usage: Encodable, Sendable {
        var promptTokens: Int
        var totalTokens: Int

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case totalTokens = "total_tokens"
        }
    }

    var object = "list"
    var model: String
    var usage: Usage
    var results: [Item]

    /// The results of `documents` scored as `result` says, best first (equal scores in the documents' order),
    /// at most `topN` of them.
    init(model: String, documents: [String], result: RerankResult, topN: Int?, returnDocuments: Bool) {
        self.model = model
        usage = Usage(promptTokens: result.promptTokens, totalTokens: result.promptTokens)
        let ranked = result.scores.enumerated().sorted { left, right in
            left.element != right.element ? left.element > right.element : left.offset < right.offset
        }
        results = ranked.prefix(topN ?? ranked.count).map { index, score in
            Item(
                index: index, relevanceScore: score,
                document: returnDocuments && index < documents.count ? Document(text: documents[index]) : nil)
        }
    }
}
