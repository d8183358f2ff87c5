/// What to generate: the input, when to stop and how to sample. Built by an API dialect, run by an engine.
public struct GenerationRequest: Sendable {
    /// The input of a generation.
    public enum Input: Sendable, Hashable {
        /// A conversation, rendered through the model's chat template.
        case chat([ChatMessage])
        /// A raw prompt, tokenized as it is (the model's BOS token is added when the model wants one).
        case text(String)
    }

    /// The name the client used for the model.
    public var model: String
    /// The conversation or prompt.
    public var input: Input
    /// The most tokens to generate; `nil` means until end of sequence or the context is full.
    public var maxTokens: Int?
    /// Strings that end the generation; they are not part of the output.
    public var stop: [String]
    /// Sampling parameters.
    public var sampling: SamplingOptions
    /// Whether a model that can think should; `nil` leaves it to the model's configuration.
    public var thinking: Bool?

    /// Creates a request.
    public init(
        model: String, input: Input, maxTokens: Int? = nil, stop: [String] = [],
        sampling: SamplingOptions = SamplingOptions(), thinking: Bool? = nil
    ) {
        self.model = model
        self.input = input
        self.maxTokens = maxTokens
        self.stop = stop
        self.sampling = sampling
        self.thinking = thinking
    }
}
