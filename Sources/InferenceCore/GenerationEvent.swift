/// What an engine reports while it generates: text as it comes, then one summary.
public enum GenerationEvent: Sendable, Equatable {
    /// A piece of the answer: whole UTF-8 characters, never part of a stop string.
    case text(String)
    /// The end of the generation. Always the last event of a stream that did not throw.
    case done(GenerationSummary)
}

/// Why a generation ended.
public enum FinishReason: String, Sendable, Equatable {
    /// The model ended its turn or a stop string was produced.
    case stop
    /// The token limit or the context size was reached.
    case length
    /// The consumer went away.
    case cancelled
}

/// Token counts of one generation.
public struct Usage: Sendable, Equatable {
    /// Tokens of the prompt, cached ones included.
    public var promptTokens: Int
    /// Prompt tokens that were reused from the cache and not evaluated again.
    public var cachedTokens: Int
    /// Tokens generated.
    public var completionTokens: Int

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
public struct Timings: Sendable, Equatable {
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
public struct GenerationSummary: Sendable, Equatable {
    /// Why it ended.
    public var finishReason: FinishReason
    /// Token counts.
    public var usage: Usage
    /// Durations.
    public var timings: Timings

    /// Creates a summary.
    public init(finishReason: FinishReason, usage: Usage, timings: Timings) {
        self.finishReason = finishReason
        self.usage = usage
        self.timings = timings
    }
}
