/// The #534 EOS workaround on the RKLLM simulator with its wrong-EOS fault: how many tokens the simulator
/// generated after the model's real EOS before the engine stopped it (the simulator counts them).
public struct EOSFigures: Codable, Sendable, Equatable {
    /// The runtime layout (the simulator's version line).
    public var runtime: String
    /// Requests made.
    public var requests: Int
    /// Of those, the ones that ended with finish reason `stop`.
    public var stopped: Int
    /// Each request's tokens after the EOS, as the simulator counted them.
    public var tokensAfterEOS: [Int]
    /// The requests' `max_tokens`: what an answer without the workaround runs to.
    public var maxTokens: Int

    /// The most tokens after an EOS.
    public var maxAfterEOS: Int { tokensAfterEOS.max() ?? 0 }
    /// The mean of the tokens after an EOS.
    public var meanAfterEOS: Double {
        tokensAfterEOS.isEmpty ? 0 : Double(tokensAfterEOS.reduce(0, +)) / Double(tokensAfterEOS.count)
    }

    /// Figures from their parts.
    public init(runtime: String, requests: Int, stopped: Int, tokensAfterEOS: [Int], maxTokens: Int) {
        self.runtime = runtime
        self.requests = requests
        self.stopped = stopped
        self.tokensAfterEOS = tokensAfterEOS
        self.maxTokens = maxTokens
    }
}
