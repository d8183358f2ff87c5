import InferenceCore

/// The answer of the legacy `POST /v1/completions`, streamed or not (each chunk has the same shape).
struct CompletionResponse: Encodable, Sendable {
    struct Choice: Encodable, Sendable {
        var text: String
        var index = 0
        var finishReason: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(text, forKey: .text)
            try container.encode(index, forKey: .index)
            try container.encodeNil(forKey: .logprobs)
            try container.encode(finishReason, forKey: .finishReason)
        }

        enum CodingKeys: String, CodingKey {
            case text, index, logprobs
            case finishReason = "finish_reason"
        }
    }

    var id: String
    var object = "text_completion"
    var created: Int
    var model: String
    var systemFingerprint: String
    var choices: [Choice]
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
