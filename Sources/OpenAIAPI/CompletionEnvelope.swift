/// The fields every completion object shares, streamed chunk or whole answer: `chat.completion.chunk` and
/// `text_completion` differ only in their `object` and their choices.
struct CompletionEnvelope<Choice: Encodable & Sendable>: Encodable, Sendable {
    var id: String
    var object: String
    var created: Int
    var model: String
    var systemFingerprint: String
    var choices: [Choice]
    /// Sent (as `null` until the last chunk of a stream) only when `includeUsageKey` is set.
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
