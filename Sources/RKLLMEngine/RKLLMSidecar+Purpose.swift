extension RKLLMSidecar {
    /// The sidecar's `embedding` object: the model computes embeddings.
    ///
    /// ```json
    /// {"embedding": {"pooling": "mean", "append_eos": false}}
    /// ```
    public struct Embedding: Decodable, Sendable, Equatable {
        /// `mean` (the default, but for Qwen3-Embedding) or `last`, as the model card says.
        public var pooling: RKLLMPooling?
        /// Whether `<|endoftext|>` is added to each input (Qwen3-Embedding's card does).
        public var appendEndOfText: Bool?

        enum CodingKeys: String, CodingKey {
            case pooling, appendEndOfText = "append_eos"
        }
    }

    /// The sidecar's `reranker` object: the model judges query-document pairs with "yes" or "no".
    ///
    /// ```json
    /// {"reranker": {"yes_token": 9693, "no_token": 2152, "instruction": "Given a web search query, ..."}}
    /// ```
    public struct Reranker: Decodable, Sendable, Equatable {
        /// The token id of "yes" (Qwen3-Reranker's 9693 by default).
        public var yesToken: Int?
        /// The token id of "no" (Qwen3-Reranker's 2152 by default).
        public var noToken: Int?
        /// The task the query is judged for (Qwen3-Reranker's web-search task by default).
        public var instruction: String?

        enum CodingKeys: String, CodingKey {
            case yesToken = "yes_token", noToken = "no_token", instruction
        }
    }
}
