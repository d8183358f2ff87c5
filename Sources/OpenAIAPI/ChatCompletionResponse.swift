import InferenceCore
import InferenceTypes

/// The non-streamed answer of `POST /v1/chat/completions`.
struct ChatCompletionResponse: Encodable, Sendable {
    struct Message: Encodable, Sendable {
        var role = "assistant"
        /// `null` when the answer is only tool calls.
        var content: String?
        var reasoning: String?
        /// The key reasoning is sent under (`reasoning_content` or `reasoning`).
        var reasoningField: String
        var toolCalls: [WireToolCallOut]

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: DynamicKey.self)
            try container.encode(role, forKey: DynamicKey("role"))
            try container.encode(content, forKey: DynamicKey("content"))
            try container.encodeNil(forKey: DynamicKey("refusal"))
            if let reasoning, !reasoning.isEmpty { try container.encode(reasoning, forKey: DynamicKey(reasoningField)) }
            if !toolCalls.isEmpty { try container.encode(toolCalls, forKey: DynamicKey("tool_calls")) }
        }
    }

    struct Choice: Encodable, Sendable {
        var index = 0
        var message: Message
        var logprobs: ChatLogprobs?
        var finishReason: String

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(message, forKey: .message)
            try container.encode(logprobs, forKey: .logprobs)
            try container.encode(finishReason, forKey: .finishReason)
        }

        enum CodingKeys: String, CodingKey {
            case index, message, logprobs
            case finishReason = "finish_reason"
        }
    }

    var id: String
    var object = "chat.completion"
    var created: Int
    var model: String
    var systemFingerprint: String
    var choices: [Choice]
    var usage: OpenAIUsage
    var timings: OpenAITimings

    enum CodingKeys: String, CodingKey {
        case id, object, created, model, choices, usage, timings
        case systemFingerprint = "system_fingerprint"
    }
}

/// One `chat.completion.chunk` of a streamed answer.
typealias ChatCompletionChunk = CompletionEnvelope<ChatChunkChoice>

/// The change a chunk carries; absent fields are left out.
struct ChatDelta: Encodable, Sendable {
    var role: String?
    var content: String?
    var reasoning: String?
    /// The key reasoning is sent under (`reasoning_content` or `reasoning`).
    var reasoningField = "reasoning_content"
    var toolCalls: [WireToolCallOut]?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DynamicKey.self)
        try container.encodeIfPresent(role, forKey: DynamicKey("role"))
        try container.encodeIfPresent(content, forKey: DynamicKey("content"))
        try container.encodeIfPresent(reasoning, forKey: DynamicKey(reasoningField))
        try container.encodeIfPresent(toolCalls, forKey: DynamicKey("tool_calls"))
    }
}

/// The one choice of a chat chunk.
struct ChatChunkChoice: Encodable, Sendable {
    var index = 0
    var delta: ChatDelta
    var logprobs: ChatLogprobs?
    var finishReason: String?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(index, forKey: .index)
        try container.encode(delta, forKey: .delta)
        try container.encode(logprobs, forKey: .logprobs)
        try container.encode(finishReason, forKey: .finishReason)
    }

    enum CodingKeys: String, CodingKey {
        case index, delta, logprobs
        case finishReason = "finish_reason"
    }
}

/// A coding key chosen at run time, for fields whose name is configured.
struct DynamicKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
