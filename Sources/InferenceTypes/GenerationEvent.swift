/// What an engine reports while it generates: text as it comes, then one summary.
public enum GenerationEvent: Sendable, Equatable, Codable {
    /// A piece of the answer: whole UTF-8 characters, never part of a stop string.
    case text(String)
    /// A piece of the model's reasoning (the text between its thinking tags), split out of the answer by the core.
    case reasoning(String)
    /// A complete tool call, parsed out of the answer by the core.
    case toolCall(ToolCall)
    /// The log-probabilities of tokens sampled since the last event, when the request asked for them.
    case logprobs([TokenLogprob])
    /// The end of the generation. Always the last event of a stream that did not throw.
    case done(GenerationSummary)
}

/// Why a generation ended.
public enum FinishReason: String, Sendable, Equatable, Codable {
    /// The model ended its turn or a stop string was produced.
    case stop
    /// The token limit or the context size was reached.
    case length
    /// The consumer went away.
    case cancelled
    /// The model called tools; the calls are in the stream.
    case toolCalls = "tool_calls"
}

/// The log-probability of one sampled token and of the most likely alternatives.
public struct TokenLogprob: Sendable, Equatable, Codable {
    /// One candidate token.
    public struct Candidate: Sendable, Equatable, Codable {
        /// Its text (may be part of a UTF-8 character; `bytes` has it whole).
        public var token: String
        /// Its bytes.
        public var bytes: [UInt8]
        /// Natural log of its probability.
        public var logprob: Double

        /// Creates a candidate.
        public init(token: String, bytes: [UInt8], logprob: Double) {
            self.token = token
            self.bytes = bytes
            self.logprob = logprob
        }
    }

    /// The token that was sampled.
    public var sampled: Candidate
    /// The most likely tokens at that step, most likely first (as many as the request asked for).
    public var top: [Candidate]

    /// Creates an entry.
    public init(sampled: Candidate, top: [Candidate]) {
        self.sampled = sampled
        self.top = top
    }
}

/// Token counts of one generation.
public struct Usage: Sendable, Equatable, Codable {
    /// Tokens of the prompt, cached ones included.
    public var promptTokens: Int
    /// Prompt tokens that were reused from the cache and not evaluated again.
    public var cachedTokens: Int
    /// Tokens generated.
    public var completionTokens: Int
    /// Of the completion tokens, those that were reasoning.
    public var reasoningTokens: Int = 0

    /// Creates counts.
    public init(promptTokens: Int = 0, cachedTokens: Int = 0, completionTokens: Int = 0) {
        self.promptTokens = promptTokens
        self.cachedTokens = cachedTokens
        self.completionTokens = completionTokens
    }

    /// Prompt and completion tokens together.
    public var totalTokens: Int { promptTokens + completionTokens }
}

/// Where the time of one request went, in nanoseconds.
public struct Timings: Sendable, Equatable, Codable {
    /// Loading the model for this request (0 when it was already loaded).
    public var loadNanos: UInt64
    /// Waiting for the model to be free.
    public var queueNanos: UInt64
    /// Evaluating the prompt (the part of it that was not cached).
    public var promptEvalNanos: UInt64
    /// Generating the completion tokens after the first.
    public var evalNanos: UInt64

    /// Creates timings.
    public init(loadNanos: UInt64 = 0, queueNanos: UInt64 = 0, promptEvalNanos: UInt64 = 0, evalNanos: UInt64 = 0) {
        self.loadNanos = loadNanos
        self.queueNanos = queueNanos
        self.promptEvalNanos = promptEvalNanos
        self.evalNanos = evalNanos
    }
}

/// The final report of a generation.
public struct GenerationSummary: Sendable, Equatable, Codable {
    /// Why it ended.
    public var finishReason: FinishReason
    /// Token counts.
    public var usage: Usage
    /// Durations.
    public var timings: Timings
    /// The stop string that ended the generation, when one did (Anthropic's `stop_sequence`); `nil` when the
    /// model ended its turn or a limit was reached.
    public var stopSequence: String?

    /// Creates a summary.
    public init(finishReason: FinishReason, usage: Usage, timings: Timings, stopSequence: String? = nil) {
        self.finishReason = finishReason
        self.usage = usage
        self.timings = timings
        self.stopSequence = stopSequence
    }
}
