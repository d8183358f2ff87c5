/// The answer of the legacy `POST /v1/completions`, streamed or not (each chunk has the same shape).
typealias CompletionResponse = CompletionEnvelope<TextCompletionChoice>

/// The one choice of a text completion.
struct TextCompletionChoice: Encodable, Sendable {
    var text: String
    var index = 0
    var logprobs: CompletionLogprobs?
    var finishReason: String?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(text, forKey: .text)
        try container.encode(index, forKey: .index)
        try container.encode(logprobs, forKey: .logprobs)
        try container.encode(finishReason, forKey: .finishReason)
    }

    enum CodingKeys: String, CodingKey {
        case text, index, logprobs
        case finishReason = "finish_reason"
    }
}
