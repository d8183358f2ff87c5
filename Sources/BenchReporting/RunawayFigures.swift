/// A short request's first token while another request generates a long answer, against the same when idle.
public struct RunawayFigures: Codable, Sendable, Equatable {
    /// Which server.
    public var target: String
    /// The long request's `max_tokens`.
    public var longMaxTokens: Int
    /// Tokens the long request had streamed when the short one got its first token.
    public var longTokensBefore: Int
    /// Median time to first token of the short request alone, in milliseconds.
    public var idleTTFTMillis: Double
    /// Median time to first token of the short request beside the long one, in milliseconds.
    public var duringTTFTMillis: Double

    /// During over idle.
    public var ratio: Double { idleTTFTMillis > 0 ? duringTTFTMillis / idleTTFTMillis : 0 }

    /// Figures from their parts.
    public init(
        target: String, longMaxTokens: Int, longTokensBefore: Int, idleTTFTMillis: Double, duringTTFTMillis: Double
    ) {
        self.target = target
        self.longMaxTokens = longMaxTokens
        self.longTokensBefore = longTokensBefore
        self.idleTTFTMillis = idleTTFTMillis
        self.duringTTFTMillis = duringTTFTMillis
    }
}
