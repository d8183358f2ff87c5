/// The scores of documents against one query, as an engine computed them.
public struct RerankResult: Sendable, Equatable, Codable {
    /// One score per document, in the order of the documents; higher is more relevant.
    public var scores: [Double]
    /// Tokens of all the query-document pairs together.
    public var promptTokens: Int
    /// Nanoseconds from the request reaching the engine to the last score, waiting for the model included.
    public var totalNanos: UInt64

    /// Creates a result.
    public init(scores: [Double], promptTokens: Int, totalNanos: UInt64) {
        self.scores = scores
        self.promptTokens = promptTokens
        self.totalNanos = totalNanos
    }
}
