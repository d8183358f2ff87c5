public import OrderedJSON

/// What to generate: the input, when to stop and how to sample. Built by an API dialect, run by an engine.
public struct GenerationRequest: Sendable, Codable {
    /// The input of a generation.
    public enum Input: Sendable, Hashable, Codable {
        /// A conversation, rendered through the model's chat template.
        case chat([ChatMessage])
        /// A raw prompt, tokenized as it is (the model's BOS token is added when the model wants one).
        case text(String)
        /// A conversation the core already rendered through the model's chat template: special tokens in it
        /// are parsed and no BOS token is added.
        case rendered(String)

        /// The size of the input in UTF-8 bytes.
        public var byteCount: Int {
            switch self {
            case .chat(let messages): messages.reduce(0) { $0 + $1.content.utf8.count }
            case .text(let text), .rendered(let text): text.utf8.count
            }
        }
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
    /// The tools the model may call, each in OpenAI's shape (`{"type": "function", "function": {...}}`).
    public var tools: [JSONValue] = []
    /// Which tools the model may call.
    public var toolChoice: ToolChoice = .auto
    /// Whether the model may call several tools in one answer.
    public var parallelToolCalls: Bool = true
    /// A GBNF grammar (root rule `root`) the output must match; engines that cannot constrain refuse it.
    public var grammar: String?
    /// Log-probabilities to report: `nil` for none, else how many top alternatives per token (0-20).
    public var logprobs: Int?
    /// Extra variables for the chat template (`chat_template_kwargs`).
    public var templateVariables: [String: JSONValue] = [:]

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
