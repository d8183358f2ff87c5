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
struct ChatCompletionChunk: Encodable, Sendable {
    /// The change a chunk carries; absent fields are left out.
    struct Delta: Encodable, Sendable {
        var role: String?
        var content: String?
    }

    struct Choice: Encodable, Sendable {
        var index = 0
        var delta: Delta
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

    var id: String
    var object = "chat.completion.chunk"
    var created: Int
    var model: String
    var systemFingerprint: String
    var choices: [Choice]
    /// Present (as `null` until the last chunk) only when the client asked for usage.
    var usage: OpenAIUsage?
    var includeUsageKey: Bool
    var timings: OpenAITimings?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(object, forKey: .object)
        try container.encode(created, forKey: .created)
        try container.encode(model, forKey: .model)
        try container.encode(systemFingerprint, forKey: .systemFingerprint)
        try container.encode(choices, forKey: .choices)
        if includeUsageKey { try container.encode(usage, forKey: .usage) }
        try container.encodeIfPresent(timings, forKey: .timings)
    }

    enum CodingKeys: String, CodingKey {
        case id, object, created, model, choices, usage, timings
        case systemFingerprint = "system_fingerprint"
    }
}
