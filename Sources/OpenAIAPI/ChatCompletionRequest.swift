public import InferenceCore

/// The body of `POST /v1/chat/completions`. Fields this server does not know are ignored.
public struct ChatCompletionRequest: Decodable, Sendable {
    /// One message as sent by the client.
    public struct Message: Decodable, Sendable {
        public var role: String
        public var content: MessageContent?
    }

    /// `stream_options`.
    public struct StreamOptions: Decodable, Sendable {
        public var includeUsage: Bool?

        enum CodingKeys: String, CodingKey {
            case includeUsage = "include_usage"
        }
    }

    /// `chat_template_kwargs`, of which `enable_thinking` is read.
    public struct TemplateArguments: Decodable, Sendable {
        public var enableThinking: Bool?

        enum CodingKeys: String, CodingKey {
            case enableThinking = "enable_thinking"
        }
    }

    /// `response_format`; only its type is read until structured output is implemented.
    public struct ResponseFormat: Decodable, Sendable {
        public var type: String
    }

    public var model: String
    public var messages: [Message]
    public var stream: Bool?
    public var streamOptions: StreamOptions?
    public var maxTokens: Int?
    public var maxCompletionTokens: Int?
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
    public var logprobs: Bool?
    public var tools: AnyJSON?
    public var responseFormat: ResponseFormat?
    public var chatTemplateKwargs: TemplateArguments?
    public var reasoningEffort: String?

    enum CodingKeys: String, CodingKey {
        case model, messages, stream, temperature, seed, stop, n, logprobs, tools
        case streamOptions = "stream_options"
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
        case topP = "top_p"
        case topK = "top_k"
        case minP = "min_p"
        case repeatPenalty = "repeat_penalty"
        case presencePenalty = "presence_penalty"
        case frequencyPenalty = "frequency_penalty"
        case responseFormat = "response_format"
        case chatTemplateKwargs = "chat_template_kwargs"
        case reasoningEffort = "reasoning_effort"
    }

    /// Whether the model should think: `chat_template_kwargs.enable_thinking`, else `reasoning_effort`
    /// (`none` is off, any other level on), else the model's default.
    public var thinking: Bool? {
        chatTemplateKwargs?.enableThinking ?? reasoningEffort.map { $0 != "none" }
    }

    /// Whether the answer is streamed (OpenAI's default is not to).
    public var isStreaming: Bool { stream ?? false }

    /// Checks the request and maps it to the core's request; throws a 400 naming the field at fault.
    public func generationRequest() throws(OpenAIError) -> GenerationRequest {
        guard !model.isEmpty else { throw .invalidRequest("'model' must not be empty", param: "model") }
        guard !messages.isEmpty else { throw .invalidRequest("'messages' must not be empty", param: "messages") }
        try SamplingValidation.check(n: n, logprobs: logprobs)
        if let tools, !tools.isNull, !tools.isEmptyArray {
            throw .invalidRequest("tool calling is not supported by this server yet", param: "tools")
        }
        if let type = responseFormat?.type, type != "text" {
            throw .invalidRequest(
                "response_format type '\(type)' is not supported by this server yet", param: "response_format")
        }
        let chat = try messages.enumerated().map { index, message throws(OpenAIError) in
            try Self.chatMessage(message, at: index)
        }
        return GenerationRequest(
            model: model, input: .chat(chat),
            maxTokens: try SamplingValidation.maxTokens(maxCompletionTokens ?? maxTokens),
            stop: stop?.values ?? [],
            sampling: try SamplingValidation.options(
                temperature: temperature, topP: topP, topK: topK, minP: minP, repeatPenalty: repeatPenalty,
                presencePenalty: presencePenalty, frequencyPenalty: frequencyPenalty, seed: seed),
            thinking: thinking
        )
    }

    private static func chatMessage(_ message: Message, at index: Int) throws(OpenAIError) -> ChatMessage {
        let role: ChatMessage.Role
        switch message.role {
        case "system", "developer": role = .system
        case "user": role = .user
        case "assistant": role = .assistant
        case "tool": role = .tool
        default:
            throw .invalidRequest(
                "messages[\(index)].role '\(message.role)' is not one of system, developer, user, assistant, tool",
                param: "messages[\(index)].role")
        }
        if message.content?.hasNonTextParts == true {
            throw .invalidRequest(
                "messages[\(index)] has non-text content, which this model cannot read",
                param: "messages[\(index)].content")
        }
        return ChatMessage(role: role, content: message.content?.text ?? "")
    }
}
