import InferenceCore

/// The non-streamed answer of `POST /v1/chat/completions`.
struct ChatCompletionResponse: Encodable, Sendable {
    struct Message: Encodable, Sendable {
        var role = "assistant"
        var content: String

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(role, forKey: .role)
            try container.encode(content, forKey: .content)
            try container.encodeNil(forKey: .refusal)
        }

        enum CodingKeys: String, CodingKey { case role, content, refusal }
    }

    struct Choice: Encodable, Sendable {
        var index = 0
        var message: Message
        var finishReason: String

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(message, forKey: .message)
            try container.encodeNil(forKey: .logprobs)
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
}

/// The one choice of a chat chunk.
struct ChatChunkChoice: Encodable, Sendable {
    var index = 0
    var delta: ChatDelta
    var finishReason: String?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(index, forKey: .index)
        try container.encode(delta, forKey: .delta)
        try container.encodeNil(forKey: .logprobs)
        try container.encode(finishReason, forKey: .finishReason)
    }

    enum CodingKeys: String, CodingKey {
        case index, delta, logprobs
        case finishReason = "finish_reason"
    }
}
