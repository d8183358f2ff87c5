import InferenceCore
import InferenceTypes

/// `logprobs` of a chat choice in OpenAI's shape: `{"content": [{token, logprob, bytes, top_logprobs}]}`.
struct ChatLogprobs: Encodable, Sendable {
    struct Entry: Encodable, Sendable {
        var token: String
        var logprob: Double
        var bytes: [UInt8]
        var topLogprobs: [Alternative]

        enum CodingKeys: String, CodingKey {
            case token, logprob, bytes
            case topLogprobs = "top_logprobs"
        }
    }

    struct Alternative: Encodable, Sendable {
        var token: String
        var logprob: Double
        var bytes: [UInt8]
    }

    var content: [Entry]

    init(_ entries: [TokenLogprob]) {
        content = entries.map { entry in
            Entry(
                token: entry.sampled.token, logprob: entry.sampled.logprob, bytes: entry.sampled.bytes,
                topLogprobs: entry.top.map { Alternative(token: $0.token, logprob: $0.logprob, bytes: $0.bytes) })
        }
    }
}
