public import OrderedJSON

/// What an engine runs: the prompt, when to stop, how to sample, and the grammar the core compiled for it.
/// Built by the core from a dialect's `GenerationRequest`.
public struct EngineRequest: Sendable, Codable {
    /// The prompt: raw text, a conversation the core rendered, or a conversation for an engine that formats
    /// conversations itself.
    public var input: GenerationInput
    /// The most tokens to generate; `nil` means until end of sequence or the context is full.
    public var maxTokens: Int?
    /// Strings that end the generation; they are not part of the output.
    public var stop: [String]
    /// Sampling parameters.
    public var sampling: SamplingOptions
    /// Whether a model that can think should; `nil` leaves it to the model's configuration.
    public var thinking: Bool?
    /// The tools the model is shown, each in OpenAI's shape, for an engine that formats conversations itself
    /// (empty when the request offers none or `tool_choice` is `none`).
    public var tools: [JSONValue]
    /// A GBNF grammar (root rule `root`) the output must match; engines that cannot constrain refuse it.
    public var grammar: String?
    /// Log-probabilities to report: `nil` for none, else how many top alternatives per token (0-20).
    public var logprobs: Int?
    /// The named prompt cache to start from (`use_cache`); the prompt begins with its text.
    public var promptCache: PromptCacheUse?
    /// The leading part of the prompt that later requests are likely to share (the rendered system turn), for
    /// engines that cache prompts by prefix; `nil` when there is none worth keeping.
    public var cachePrefix: String?
    /// The reasoning budget and the model's reasoning tags, when the request limits a thinking model's
    /// reasoning (`GenerationRequest.reasoningBudget`); the engine ends the reasoning when it is spent.
    public var reasoningLimit: ReasoningLimit?
    /// Every image of the conversation, in order (the messages' `images`, one after the other). In a prompt the
    /// core rendered, each stands at a marker `EngineRequest.imageMarker`; an engine that renders conversations
    /// itself places a marker before the text of each message that has images.
    public var images: [ImageData] = []
    /// The LoRA adapter to run with, by name (one `ModelInfo.loraAdapters` lists); `nil` for the base model.
    public var lora: String?

    /// Where an image stands in a prompt: the text the RKLLM runtime replaces with the image's tags and
    /// embeddings.
    public static let imageMarker = "<image>"

    /// Creates a request.
    public init(
        input: GenerationInput, maxTokens: Int? = nil, stop: [String] = [],
        sampling: SamplingOptions = SamplingOptions(),
        thinking: Bool? = nil, tools: [JSONValue] = [], grammar: String? = nil, logprobs: Int? = nil
    ) {
        self.input = input
        self.maxTokens = maxTokens
        self.stop = stop
        self.sampling = sampling
        self.thinking = thinking
        self.tools = tools
        self.grammar = grammar
        self.logprobs = logprobs
    }
}
