/// One API dialect measured on the same model as the others: streamed decode, time to first token, and the
/// time to first token of a question after a system prompt the server has seen.
public struct DialectFigures: Codable, Sendable, Equatable {
    /// The route's key: `chat`, `responses` or `messages`.
    public var dialect: String
    /// The route a reader sees (`POST /v1/responses`).
    public var route: String
    /// Median time to first token of a fresh prompt, in milliseconds.
    public var ttftMillis: Double
    /// Median streamed decode speed, tokens per second.
    public var decodeTokensPerSecond: Double
    /// Median time to first token of a question after a system prompt seen once, in milliseconds.
    public var cachedTTFTMillis: Double
    /// The median of the cached prompt tokens the dialect reported for those questions.
    public var cachedTokens: Double
    /// Requests measured per figure.
    public var runs: Int

    /// Figures from their parts.
    public init(
        dialect: String, route: String, ttftMillis: Double, decodeTokensPerSecond: Double, cachedTTFTMillis: Double,
        cachedTokens: Double, runs: Int
    ) {
        self.dialect = dialect
        self.route = route
        self.ttftMillis = ttftMillis
        self.decodeTokensPerSecond = decodeTokensPerSecond
        self.cachedTTFTMillis = cachedTTFTMillis
        self.cachedTokens = cachedTokens
        self.runs = runs
    }
}
