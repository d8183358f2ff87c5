extension GGUFMetadata {
    /// Architectures that only encode text (BERT and its kin): they make embeddings, never completions.
    public static let encoderArchitectures: Set<String> = [
        "bert", "nomic-bert", "nomic-bert-moe", "jina-bert-v2", "jina-bert-v3", "modern-bert", "neo-bert",
        "eurobert", "t5encoder",
    ]

    /// A boolean value.
    public func bool(_ key: String) -> Bool? {
        if case .bool(let value)? = values[key] { return value }
        return nil
    }

    /// `<arch>.pooling_type` (llama.cpp's `llama_pooling_type`: 0 none, 1 mean, 2 CLS, 3 last, 4 rank), set
    /// only by models converted for embeddings or ranking.
    public var poolingType: Int? {
        architecture.flatMap { integer("\($0).pooling_type") }.map(Int.init)
    }

    /// `<arch>.attention.causal`; `nil` when the header does not say (causal, for a text generator).
    public var causalAttention: Bool? {
        architecture.flatMap { bool("\($0).attention.causal") }
    }

    /// Whether the model is meant for embeddings rather than for generating text: an encoder architecture,
    /// a pooling type set, or attention that is not causal.
    public var isEmbeddingModel: Bool {
        if let architecture, Self.encoderArchitectures.contains(architecture) { return true }
        if let poolingType, poolingType > 0 { return true }
        return causalAttention == false
    }
}
