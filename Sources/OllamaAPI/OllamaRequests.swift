import InferenceCore

/// One message of `/api/chat`.
public struct OllamaMessage: Codable, Sendable, Equatable {
    public var role: String
    public var content: String
    public var images: [String]?
    public var thinking: String?

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }

    enum CodingKeys: String, CodingKey { case role, content, images, thinking }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(role, forKey: .role)
        try container.encode(content, forKey: .content)
        try container.encodeIfPresent(thinking, forKey: .thinking)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        role = try container.decode(String.self, forKey: .role).lowercased()
        content = try container.decodeIfPresent(String.self, forKey: .content) ?? ""
        images = try container.decodeIfPresent([String].self, forKey: .images)
        thinking = try container.decodeIfPresent(String.self, forKey: .thinking)
    }
}

/// A JSON value whose presence matters more than its content (`format`, `tools`, `think`).
public struct OllamaAnyValue: Decodable, Sendable {
    /// `null`, `false`, `""`, `[]` and `{}` count as absent.
    public var isSet: Bool

    private struct Anything: Decodable {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            isSet = false
        } else if let flag = try? container.decode(Bool.self) {
            isSet = flag
        } else if let text = try? container.decode(String.self) {
            isSet = !text.isEmpty
        } else if let list = try? container.decode([Anything].self) {
            isSet = !list.isEmpty
        } else if let object = try? container.decode([String: Anything].self) {
            isSet = !object.isEmpty
        } else {
            isSet = true
        }
    }
}

/// What the two generating routes' bodies have in common.
protocol OllamaGenerationBody: Decodable, Sendable {
    var model: String { get }
    var stream: Bool? { get }
    var keepAlive: OllamaKeepAlive? { get }
    var format: OllamaAnyValue? { get }
    var think: OllamaAnyValue? { get }
    /// The core request, or `nil` for an empty one (a load or unload request).
    func generationRequest() throws(OllamaError) -> GenerationRequest?
}

extension OllamaGenerationBody {
    /// Refuses what is not served yet, with a message that says so.
    func checkSupported() throws(OllamaError) {
        guard !model.isEmpty else { throw .badRequest("model is required") }
        if format?.isSet == true {
            throw .badRequest("structured output (\"format\") is not supported by this server yet")
        }
        if think?.isSet == true { throw .badRequest("\"\(model)\" does not support thinking") }
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
    public var format: OllamaAnyValue?
    public var think: OllamaAnyValue?

    enum CodingKeys: String, CodingKey {
        case model, prompt, suffix, system, template, raw, images, stream, options, format, think
        case keepAlive = "keep_alive"
    }

    /// The core request, or `nil` when the prompt is empty (a load or unload request).
    func generationRequest() throws(OllamaError) -> GenerationRequest? {
        try checkSupported()
        if let images, !images.isEmpty { throw .badRequest("model \"\(model)\" does not support images") }
        if let suffix, !suffix.isEmpty { throw .badRequest("model \"\(model)\" does not support insert (suffix)") }
        if let template, !template.isEmpty { throw .badRequest("custom templates are not supported; use raw mode") }
        if raw == true, let system, !system.isEmpty { throw .badRequest("raw mode does not support a system prompt") }
        guard let prompt, !prompt.isEmpty else { return nil }
        let options = self.options ?? OllamaOptions()
        let input: GenerationRequest.Input
        if raw == true {
            input = .text(prompt)
        } else {
            var messages: [ChatMessage] = []
            if let system, !system.isEmpty { messages.append(ChatMessage(role: .system, content: system)) }
            messages.append(ChatMessage(role: .user, content: prompt))
            input = .chat(messages)
        }
        return GenerationRequest(
            model: model, input: input, maxTokens: options.maxTokens, stop: options.stop ?? [],
            sampling: options.sampling)
    }
}

/// The body of `POST /api/chat`.
public struct OllamaChatRequest: OllamaGenerationBody {
    public var model: String
    public var messages: [OllamaMessage]?
    public var tools: OllamaAnyValue?
    public var stream: Bool?
    public var keepAlive: OllamaKeepAlive?
    public var options: OllamaOptions?
    public var format: OllamaAnyValue?
    public var think: OllamaAnyValue?

    enum CodingKeys: String, CodingKey {
        case model, messages, tools, stream, options, format, think
        case keepAlive = "keep_alive"
    }

    /// The core request, or `nil` when there are no messages (a load or unload request).
    func generationRequest() throws(OllamaError) -> GenerationRequest? {
        try checkSupported()
        if tools?.isSet == true { throw .badRequest("tool calling is not supported by this server yet") }
        guard let messages, !messages.isEmpty else { return nil }
        let chat = try messages.map { message throws(OllamaError) -> ChatMessage in
            if let images = message.images, !images.isEmpty {
                throw .badRequest("model \"\(model)\" does not support images")
            }
            guard let role = ChatMessage.Role(rawValue: message.role) else {
                throw .badRequest("invalid role \"\(message.role)\": use system, user, assistant or tool")
            }
            return ChatMessage(role: role, content: message.content)
        }
        let options = self.options ?? OllamaOptions()
        return GenerationRequest(
            model: model, input: .chat(chat), maxTokens: options.maxTokens, stop: options.stop ?? [],
            sampling: options.sampling)
    }
}
