import Conversation
import EngineSupport
import InferenceTypes
import ModelStore
import SchemaGrammar
import Synchronization

/// How long a generation may go without output before it is stopped. The wait for the first token scales
/// with the prompt (prefill time grows with it) and with the requests queued ahead; a fixed limit would
/// either cut long prompts on a slow NPU or let a hung runtime hold a client for ever.
public struct GenerationTimeLimits: Sendable, Equatable {
    /// Seconds allowed for the first token of a short prompt with nothing queued ahead.
    public var base: Double
    /// Seconds added per prompt token (estimated at 4 bytes a token).
    public var perPromptToken: Double
    /// Seconds allowed between two events once output has started.
    public var betweenEvents: Double

    /// Creates limits.
    public init(base: Double = 60, perPromptToken: Double = 0.05, betweenEvents: Double = 60) {
        self.base = base
        self.perPromptToken = perPromptToken
        self.betweenEvents = betweenEvents
    }

    /// The wait allowed for the first event of a prompt of `promptBytes` with `ahead` requests before it.
    public func firstEvent(promptBytes: Int, ahead: Int) -> Double {
        (base + perPromptToken * Double(promptBytes) / 4) * Double(max(0, ahead) + 1)
    }
}
