import InferenceCore
public import InferenceTypes

/// The body of the legacy `POST /v1/completions`. Fields this server does not know are ignored.
public struct CompletionRequest: Decodable, Sendable {
    public var model: String
    public var prompt: StringOrStrings
    public var stream: Bool?
    public var streamOptions: ChatCompletionRequest.StreamOptions?
    public var maxTokens: Int?
    public var temperature: Double?
    public var topP: Double?
    public var topK: Int?
    public var minP: Double?
    public var repeatPenalty: Double?
    public var presencePenalty: Double?
    public var frequencyPenalty: Double?
    public var seed: Int?
    public var stop: StringOrStrings?
    public var n: Int?
    public var logprobs: Int?
    public var echo: Bool?
    public var suffix: String?
    /// The context the model should have (`num_ctx`, Ollama's option, as an extension): the core reloads the
    /// model with a larger context when it asks for more than the loaded one.
    public var numCtx: Int?
    /// The LoRA adapter to run with, by name (our extension; an RKLLM model's adapters).
    public var lora: String?

    enum CodingKeys: String, CodingKey {
        case model, prompt, stream, temperature, seed, stop, n, logprobs, echo, suffix
        case streamOptions = "stream_options"
        case maxTokens = "max_tokens"
        case topP = "top_p"
        case topK = "top_k"
        case minP = "min_p"
        case repeatPenalty = "repeat_penalty"
        case presencePenalty = "presence_penalty"
        case frequencyPenalty = "frequency_penalty"
        case numCtx = "num_ctx"
        case lora
    }

    /// OpenAI's default for `max_tokens` on this endpoint.
    public static let defaultMaxTokens = 16

    /// Whether the answer is streamed.
    public var isStreaming: Bool { stream ?? false }

    /// Checks the request and maps it to the core's request.
    public func generationRequest() throws(OpenAIError) -> GenerationRequest {
        guard !model.isEmpty else { throw .invalidRequest("'model' must not be empty", param: "model") }
        guard prompt.values.count == 1, let text = prompt.values.first else {
            throw .invalidRequest("prompt must be one string (batches of prompts are not supported)", param: "prompt")
        }
        try SamplingValidation.check(n: n)
        if let logprobs, !(0...5).contains(logprobs) {
            throw .invalidRequest("logprobs must be between 0 and 5, got \(logprobs)", param: "logprobs")
        }
        if echo == true { throw .invalidRequest("echo is not supported", param: "echo") }
        if let suffix, !suffix.isEmpty { throw .invalidRequest("suffix is not supported", param: "suffix") }
        var request = GenerationRequest(
            model: model, input: .text(text),
            maxTokens: try SamplingValidation.maxTokens(maxTokens ?? Self.defaultMaxTokens),
            stop: stop?.values ?? [],
            sampling: try SamplingValidation.options(
                temperature: temperature, topP: topP, topK: topK, minP: minP, repeatPenalty: repeatPenalty,
                presencePenalty: presencePenalty, frequencyPenalty: frequencyPenalty, seed: seed)
        )
        request.logprobs = logprobs
        request.contextLength = try SamplingValidation.contextLength(numCtx)
        request.lora = lora
        return request
    }
}
