import DialectSupport
import InferenceCore
public import InferenceTypes
public import OrderedJSON

/// One message of `/api/chat`.
public struct OllamaMessage: Codable, Sendable, Equatable {
    public var role: String
    public var content: String
    public var images: [String]?
    public var thinking: String?
    /// The calls of an assistant message, arguments as objects. Decoding leaves this empty: a request's calls
    /// are read from its document, where their arguments keep their key order.
    public var toolCalls: [OllamaToolCall]?
    /// For a tool result: the tool that produced it.
    public var toolName: String?

    public init(role: String, content: String, thinking: String? = nil, toolCalls: [OllamaToolCall]? = nil) {
        self.role = role
        self.content = content
        self.thinking = thinking
        self.toolCalls = toolCalls
    }

    enum CodingKeys: String, CodingKey {
        case role, content, images, thinking
        case toolCalls = "tool_calls", toolName = "tool_name"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(role, forKey: .role)
        try container.encode(content, forKey: .content)
        try container.encodeIfPresent(thinking, forKey: .thinking)
        try container.encodeIfPresent(toolCalls, forKey: .toolCalls)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        role = try container.decode(String.self, forKey: .role).lowercased()
        content = try container.decodeIfPresent(String.self, forKey: .content) ?? ""
        images = try container.decodeIfPresent([String].self, forKey: .images)
        thinking = try container.decodeIfPresent(String.self, forKey: .thinking)
        toolName = try container.decodeIfPresent(String.self, forKey: .toolName)
    }
}

/// A tool call in Ollama's shape: `{"function": {"name", "arguments": {...}}}`, the arguments an object.
public struct OllamaToolCall: Encodable, Sendable, Equatable {
    /// The function called.
    public struct Function: Encodable, Sendable, Equatable {
        public var name: String
        public var arguments: JSONValue
    }

    public var function: Function

    /// The wire form of a call the model made; arguments that are not a JSON object are sent as `{}`.
    public init(_ call: ToolCall) {
        let arguments = (try? JSONValue(parsing: call.arguments)).flatMap { $0.objectMembers == nil ? nil : $0 }
        function = Function(name: call.name, arguments: arguments ?? [:])
    }
}

/// What the two generating routes' bodies have in common.
protocol OllamaGenerationBody: Decodable, Sendable, DocumentCarrying {
    var model: String { get }
    var stream: Bool? { get }
    var keepAlive: OllamaKeepAlive? { get }
    /// The core request, or `nil` for an empty one (a load or unload request).
    func generationRequest() throws(OllamaError) -> GenerationRequest?
}

extension OllamaGenerationBody {
    /// `think`: `true` or a level (`"low"`, `"medium"`, `"high"`, `"max"`) turns thinking on (a level also sets
    /// how hard), `false` off; absent leaves it to the model. Any other value is a 400.
    func thinking() throws(OllamaError) -> (enabled: Bool?, effort: ReasoningEffort?) {
        switch document["think"] {
        case nil, .null?: return (nil, nil)
        case .bool(let value)?: return (value, nil)
        case .string(let level)? where ["low", "medium", "high", "max"].contains(level):
            return (true, ReasoningEffort(rawValue: level))
        case let value?:
            throw .badRequest(
                "invalid think value \(value.serialized()): use true, false, \"low\", \"medium\", \"high\" or \"max\"")
        }
    }

    /// The format `format` asks for: `"json"` is any JSON object, an object is a JSON schema.
    func responseFormat() throws(OllamaError) -> ResponseFormat {
        switch document["format"] {
        case nil, .null?, .string("")?: return .text
        case .string("json")?: return .jsonObject
        case .object(let members)?: return ResponseFormat(schema: .object(members))
        default: throw .badRequest("format must be \"json\" or a JSON schema object")
        }
    }

    /// Applies what both routes share: thinking, the output format and the context (`options.num_ctx`).
    func configure(_ request: inout GenerationRequest, options: OllamaOptions) throws(OllamaError) {
        (request.thinking, request.reasoningEffort) = try thinking()
        request.responseFormat = try responseFormat()
        request.contextLength = options.numCtx
        request.lora = options.lora
    }
}

/// The body of `POST /api/generate`.
public struct OllamaGenerateRequest: OllamaGenerationBody {
    public var model: String
    public var prompt: String?
    public var suffix: String?
    public var system: String?
    public var template: String?
    public var raw: Bool?
    public var images: [String]?
    public var stream: Bool?
    public var keepAlive: OllamaKeepAlive?
    public var options: OllamaOptions?
    /// The whole body; `format` and `think` are read from it.
    public var document: JSONValue = .null

    enum CodingKeys: String, CodingKey {
        case model, prompt, suffix, system, template, raw, images, stream, options
        case keepAlive = "keep_alive"
    }

    /// The core request, or `nil` when the prompt is empty (a load or unload request).
    func generationRequest() throws(OllamaError) -> GenerationRequest? {
        guard !model.isEmpty else { throw .badRequest("model is required") }
        if let suffix, !suffix.isEmpty { throw .badRequest("model \"\(model)\" does not support insert (suffix)") }
        if let template, !template.isEmpty { throw .badRequest("custom templates are not supported; use raw mode") }
        if raw == true, let system, !system.isEmpty { throw .badRequest("raw mode does not support a system prompt") }
        guard let prompt, !prompt.isEmpty else { return nil }
        let options = self.options ?? OllamaOptions()
        let images = try OllamaImages.images(self.images, place: "images")
        try OllamaImages.checkCount(images.count)
        let input: GenerationRequest.Input
        if raw == true {
            input = .text(prompt)
        } else {
            var messages: [ChatMessage] = []
            if let system, !system.isEmpty { messages.append(ChatMessage(role: .system, content: system)) }
            var user = ChatMessage(role: .user, content: prompt)
            user.images = images
            messages.append(user)
            input = .chat(messages)
        }
        var request = GenerationRequest(
            model: model, input: input, maxTokens: options.maxTokens, stop: options.stop ?? [],
            sampling: options.sampling)
        if raw == true { request.images = images }
        try configure(&request, options: options)
        return request
    }
}

/// The body of `POST /api/chat`.
public struct OllamaChatRequest: OllamaGenerationBody {
    public var model: String
    public var messages: [OllamaMessage]?
    public var stream: Bool?
    public var keepAlive: OllamaKeepAlive?
    public var options: OllamaOptions?
    /// The whole body; `tools`, `format`, `think` and the messages' tool calls are read from it.
    public var document: JSONValue = .null

    enum CodingKeys: String, CodingKey {
        case model, messages, stream, options
        case keepAlive = "keep_alive"
    }

    /// The core request, or `nil` when there are no messages (a load or unload request).
    func generationRequest() throws(OllamaError) -> GenerationRequest? {
        guard !model.isEmpty else { throw .badRequest("model is required") }
        let tools = try OllamaTools.tools(document["tools"])
        guard let messages, !messages.isEmpty else { return nil }
        let wireMessages = document["messages"]?.arrayValue ?? []
        let chat = try messages.enumerated().map { index, message throws(OllamaError) -> ChatMessage in
            guard let role = ChatMessage.Role(rawValue: message.role) else {
                throw .badRequest("invalid role \"\(message.role)\": use system, user, assistant or tool")
            }
            let calls = try OllamaTools.calls(
                index < wireMessages.count ? wireMessages[index]["tool_calls"] : nil, messageIndex: index)
            var chat = ChatMessage(
                role: role, content: message.content, reasoning: message.thinking, toolCalls: calls,
                toolName: message.toolName)
            chat.images = try OllamaImages.images(message.images, place: "messages[\(index)].images")
            return chat
        }
        try OllamaImages.checkCount(chat.reduce(0) { $0 + $1.images.count })
        let options = self.options ?? OllamaOptions()
        var request = GenerationRequest(
            model: model, input: .chat(chat), maxTokens: options.maxTokens, stop: options.stop ?? [],
            sampling: options.sampling)
        request.useCache = options.useCache
        request.tools = tools
        request.toolChoice = tools.isEmpty ? .none : .auto
        try configure(&request, options: options)
        return request
    }
}
