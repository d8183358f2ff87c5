/// One prompt category (the original design's short performance prompts or longer quality prompts) on one
/// server: time to first token, decode and prompt speed over every prompt and run.
public struct CategoryFigures: Codable, Sendable, Equatable {
    /// Which server: `ours` or the peer's label.
    public var target: String
    /// `performance` or `quality`.
    public var category: String
    /// Requests measured (prompts × runs).
    public var requests: Int
    /// The `max_tokens` each request asked for.
    public var maxTokens: Int
    /// Time to first token, in milliseconds.
    public var ttftMillis: BenchSummary
    /// Tokens per second from the first token to the last.
    public var decodeTokensPerSecond: BenchSummary
    /// Prompt tokens over the time to first token.
    public var inputTokensPerSecond: BenchSummary
    /// Tokens each answer had.
    public var outputTokens: BenchSummary
    /// The server's resident memory after the category (with its runner process), in bytes; `nil` when unknown.
    public var residentBytes: UInt64?

    /// Figures from their parts.
    public init(
        target: String, category: String, requests: Int, maxTokens: Int, ttftMillis: BenchSummary,
        decodeTokensPerSecond: BenchSummary, inputTokensPerSecond: BenchSummary, outputTokens: BenchSummary,
        residentBytes: UInt64?
    ) {
        self.target = target
        self.category = category
        self.requests = requests
        self.maxTokens = maxTokens
        self.ttftMillis = ttftMillis
        self.decodeTokensPerSecond = decodeTokensPerSecond
        self.inputTokensPerSecond = inputTokensPerSecond
        self.outputTokens = outputTokens
        self.residentBytes = residentBytes
    }
}
