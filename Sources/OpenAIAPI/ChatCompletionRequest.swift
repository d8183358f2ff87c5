public import DialectSupport
import InferenceCore
public import InferenceTypes
public import OrderedJSON

/// The body of `POST /v1/chat/completions`. Fields this server does not know are ignored.
///
/// `tools`, `tool_choice`, `response_format` and `chat_template_kwargs` are read from the body's `document`,
/// which keeps the client's key order (schemas and tools are shown to the model as the client wrote them).
public struct ChatCompletionRequest: Decodable, Sendable, DocumentCarrying {
    /// One message as sent by the client.
    public struct Message: Decodable, Sendable {
        public var role: String
        public var content: MessageContent?
        /// An assistant message's calls, arguments as JSON strings.
        public var toolCalls: [WireToolCall]?
        /// A tool result's call id.
        public var toolCallID: String?
        /// A tool result's function name (deprecated `function` role, and some clients on `tool`).
        public var name: String?
        /// The reasoning an assistant message carried, as llama.cpp and vLLM send it back.
        public var reasoningContent: String?
        /// The reasoning an assistant message carried, as Ollama's and OpenRouter's clients send it back.
        public var reasoning: String?

        enum CodingKeys: String, CodingKey {
            case role, content, name, reasoning
            case toolCalls = "tool_calls", toolCallID = "tool_call_id", reasoningContent = "reasoning_content"
        }
    }

    /// A tool call in OpenAI's shape: `{id, type: "function", function: {name, arguments: "<json>"}}`; an
    /// arguments object is taken as well.
    public struct WireToolCall: Decodable, Sendable {
        /// The function and its arguments.
        public struct Function: Decodable, Sendable {
            public var name: String
            /// The arguments as JSON text: the string OpenAI defines, or the JSON text of an object sent in its
            /// place (Ollama-shaped conversations carry objects), members in the client's order.
            public var arguments: String?

            enum CodingKeys: String, CodingKey {
                case name, arguments
            }

            public init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                name = try container.decode(String.self, forKey: .name)
                switch try container.decodeIfPresent(JSONValue.self, forKey: .arguments) {
                case nil, .null?: arguments = nil
                case .string(let text)?: arguments = text
                case .object(let members)?: arguments = JSONValue.object(members).serialized()
                default:
                    throw DecodingError.typeMismatch(
                        String.self,
                        .init(
                            codingPath: container.codingPath + [CodingKeys.arguments],
                            debugDescription: "arguments must be a JSON string or object"))
                }
            }
        }

        public var id: String?
        public var function: Function
    }

    /// `stream_options`.
    public struct StreamOptions: Decodable, Sendable {
        public var includeUsage: Bool?

        enum CodingKeys: String, CodingKey {
            case includeUsage = "include_usage"
        }
    }

    /// `chat_template_kwargs`, of which `enable_thinking` is read here; every key reaches the template.
    public struct TemplateArguments: Decodable, Sendable {
        public var enableThinking: Bool?

        enum CodingKeys: String, CodingKey {
            case enableThinking = "enable_thinking"
        }
    }

    /// `response_format`; the schema is read from the document.
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
    public var topLogprobs: Int?
    public var tools: AnyJSON?
    public var parallelToolCalls: Bool?
    public var responseFormat: ResponseFormat?
    public var chatTemplateKwargs: TemplateArguments?
    public var reasoningEffort: String?
    /// The named prompt cache to start from (`POST /v1/cache/{model}`).
    public var useCache: String?
    /// The context the model should have (`num_ctx`, Ollama's option, as an extension): the core reloads the
    /// model with a larger context when it asks for more than the loaded one.
    public var numCtx: Int?
    /// The LoRA adapter to run with, by name (our extension; an RKLLM model's adapters).
    public var lora: String?
    /// The whole body, in the client's key order.
    public var document: JSONValue = .null

    enum CodingKeys: String, CodingKey {
        case model, messages, stream, temperature, seed, stop, n, logprobs, tools
        case topLogprobs = "top_logprobs"
        case parallelToolCalls = "parallel_tool_calls"
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
        case useCache = "use_cache"
        case numCtx = "num_ctx"
        case lora
    }

    /// Whether the model should think: `chat_template_kwargs.enable_thinking`, else `reasoning_effort`
    /// (`none` turns it off; a level turns it on for a model that can think and reaches the template as
    /// `reasoning_effort`), else the model's default.
    public var thinking: Bool? {
        chatTemplateKwargs?.enableThinking ?? (reasoningEffort == "none" ? false : nil)
    }

    /// Whether the answer is streamed (OpenAI's default is not to).
    public var isStreaming: Bool { stream ?? false }

    /// Checks the request and maps it to the core's request; throws a 400 naming the field at fault.
    public func generationRequest() throws(OpenAIError) -> GenerationRequest {
        guard !model.isEmpty else { throw .invalidRequest("'model' must not be empty", param: "model") }
        guard !messages.isEmpty else { throw .invalidRequest("'messages' must not be empty", param: "messages") }
        try SamplingValidation.check(n: n)
        let chat = try messages.enumerated().map { index, message throws(OpenAIError) in
            try message.chatMessage(at: index)
        }
        do {
            try ImageSource.checkCount(chat.reduce(0) { $0 + $1.images.count })
        } catch {
            throw .invalidRequest(error.reason, param: "messages")
        }
        var request = GenerationRequest(
            model: model, input: .chat(chat),
            maxTokens: try SamplingValidation.maxTokens(maxCompletionTokens ?? maxTokens),
            stop: stop?.values ?? [],
            sampling: try SamplingValidation.options(
                temperature: temperature, topP: topP, topK: topK, minP: minP, repeatPenalty: repeatPenalty,
                presencePenalty: presencePenalty, frequencyPenalty: frequencyPenalty, seed: seed),
            thinking: thinking
        )
        request.tools = try OpenAITools.tools(document["tools"])
        request.toolChoice = try OpenAITools.choice(document["tool_choice"], hasTools: !request.tools.isEmpty)
        request.parallelToolCalls = parallelToolCalls ?? true
        request.responseFormat = try OpenAIResponseFormat.format(document["response_format"])
        request.logprobs = try SamplingValidation.logprobs(logprobs, top: topLogprobs)
        request.useCache = useCache
        request.contextLength = try SamplingValidation.contextLength(numCtx)
        request.lora = lora
        if let effort = reasoningEffort, effort != "none" {
            guard let level = ReasoningEffort(rawValue: effort) else {
                let levels = ReasoningEffort.allCases.map(\.rawValue).joined(separator: "', '")
                throw .invalidRequest(
                    "'reasoning_effort' must be 'none' or one of '\(levels)'", param: "reasoning_effort")
            }
            request.reasoningEffort = level
        }
        if case .object(let members)? = document["chat_template_kwargs"] {
            for member in members { request.templateVariables[member.key] = member.value }
        }
        return request
    }
}

extension ChatCompletionRequest.Message {
    /// The core's message; throws a 400 naming `messages[index]` for an unknown role, or the part at fault for a part that is neither text nor a readable image URL.
    public func chatMessage(at index: Int) throws(OpenAIError) -> ChatMessage {
        let message = self
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
        let calls = (message.toolCalls ?? []).enumerated().map { callIndex, call in
            ToolCall(
                id: call.id ?? "call_\(index)_\(callIndex)", name: call.function.name,
                arguments: call.function.arguments ?? "{}")
        }
        var chat = ChatMessage(
            role: role, content: message.content?.text ?? "", reasoning: message.reasoningContent ?? message.reasoning,
            toolCalls: calls, toolCallID: message.toolCallID, toolName: message.name)
        chat.images = try images(at: index)
        return chat
    }

    /// The images of the content's `image_url` parts, in order; a part of another type than text or image, or
    /// an image URL that is not a `data:image/...;base64,` or `http(s)` URL, is a 400 naming the part.
    private func images(at index: Int) throws(OpenAIError) -> [ImageData] {
        var images: [ImageData] = []
        for (partIndex, part) in (content?.parts ?? []).enumerated() {
            let place = "messages[\(index)].content[\(partIndex)]"
            switch part.type {
            case "text":
                continue
            case "image_url":
                guard let url = part.imageURL, !url.isEmpty else {
                    throw .invalidRequest("\(place).image_url.url is required", param: "\(place).image_url")
                }
                do {
                    images.append(try ImageSource.image(url: url))
                } catch {
                    throw .invalidRequest("\(place): \(error.reason)", param: "\(place).image_url")
                }
            default:
                throw .invalidRequest(
                    "\(place) is of type '\(part.type)', which this server does not read; send text and image_url "
                        + "parts",
                    param: "\(place).type")
            }
        }
        return images
    }
}
