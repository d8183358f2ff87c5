public import OrderedJSON

/// What to generate: the input, when to stop and how to sample. Built by an API dialect; the core turns it
/// into an `EngineRequest` for the model's engine.
public struct GenerationRequest: Sendable, Codable {
    /// The input of a generation.
    public typealias Input = GenerationInput

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
    /// The shape the answer must have; the core compiles it into a grammar for the engine.
    public var responseFormat: ResponseFormat = .text
    /// Log-probabilities to report: `nil` for none, else how many top alternatives per token (0-20).
    public var logprobs: Int?
    /// Extra variables for the chat template (`chat_template_kwargs`).
    public var templateVariables: [String: JSONValue] = [:]
    /// The named prompt cache to start from (`use_cache`); `nil` for none.
    public var useCache: String?
    /// How hard to think, when the client named a level; it implies `thinking` unless that is `false`.
    public var reasoningEffort: ReasoningEffort?
    /// The most tokens the model may spend reasoning (Anthropic's `thinking.budget_tokens`); when they are
    /// spent, the core ends the reasoning and the model answers. `nil` for no limit.
    public var reasoningBudget: Int?
    /// The context the client asks the model to have (Ollama's `num_ctx`, our `/v1` extension `num_ctx`);
    /// `nil` keeps the loaded context. The core reloads the model with a larger context when the prompt needs it,
    /// within the model's trained length and the memory budget.
    public var contextLength: Int?
    /// The LoRA adapter to run with, by name (`lora` on `/v1`, `options.lora` on `/api`); `nil` for the base
    /// model. A name the model does not have is a 400.
    public var lora: String?
    /// The images of a raw prompt (`.text` input, Ollama's `/api/generate` with `raw`), in order; the core puts
    /// their markers at the start of the prompt. A conversation's images are its messages' `images`.
    public var images: [ImageData] = []

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
