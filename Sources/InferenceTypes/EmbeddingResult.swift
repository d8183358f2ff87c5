/// The embeddings of a batch of texts, as an engine computed them.
public struct EmbeddingResult: Sendable, Equatable, Codable {
    /// One L2-normalised vector per input, in the order of the inputs.
    public var vectors: [[Float]]
    /// Tokens of all the inputs together, after any truncation.
    public var promptTokens: Int
    /// Nanoseconds from the request reaching the engine to the last vector, waiting for the model included.
    public var totalNanos: UInt64

    /// Creates a result.
    public init(vectors: [[Float]], promptTokens: Int, totalNanos: UInt64) {
        self.vectors = vectors
        self.promptTokens = promptTokens
        self.totalNanos = totalNanos
    }
}
