/// What an engine reports while it generates: text as it comes, then one summary. Reasoning and tool calls
/// are not engine events: the core reads them out of the text (`GenerationEvent`).
public enum EngineEvent: Sendable, Equatable, Codable {
    /// A piece of the output: whole UTF-8 characters, never part of a stop string.
    case text(String)
    /// The log-probabilities of tokens sampled since the last event, when the request asked for them.
    case logprobs([TokenLogprob])
    /// The end of the generation. Always the last event of a stream that did not throw.
    case done(GenerationSummary)
}
