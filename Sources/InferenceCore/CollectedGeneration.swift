public import InferenceTypes

/// A whole generation gathered from its events, for answers that are not streamed.
public struct CollectedGeneration: Sendable {
    /// The answer's text.
    public var text = ""
    /// The reasoning, empty when the model did not think or its reasoning was not split out.
    public var reasoning = ""
    /// The tools the model called.
    public var toolCalls: [ToolCall] = []
    /// Log-probabilities of the generated tokens, when asked for.
    public var logprobs: [TokenLogprob] = []
    /// The final report.
    public var summary = GenerationSummary(finishReason: .stop, usage: Usage(), timings: Timings())

    /// An empty generation, filled in as events arrive.
    public init() {}
}
