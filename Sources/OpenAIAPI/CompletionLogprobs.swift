import InferenceCore
import InferenceTypes

/// `logprobs` of a legacy text completion: parallel lists of the sampled tokens, their log-probabilities,
/// the top alternatives of each step (token → log-probability) and each token's offset in the text.
struct CompletionLogprobs: Encodable, Sendable {
    var tokens: [String]
    var tokenLogprobs: [Double]
    var topLogprobs: [[String: Double]]
    var textOffset: [Int]

    enum CodingKeys: String, CodingKey {
        case tokens
        case tokenLogprobs = "token_logprobs"
        case topLogprobs = "top_logprobs"
        case textOffset = "text_offset"
    }

    /// The lists for `entries`, offsets counted in characters from `startOffset`.
    init(_ entries: [TokenLogprob], startOffset: Int = 0) {
        tokens = entries.map(\.sampled.token)
        tokenLogprobs = entries.map(\.sampled.logprob)
        topLogprobs = entries.map { entry in
            Dictionary(entry.top.map { ($0.token, $0.logprob) }, uniquingKeysWith: { first, _ in first })
        }
        var offset = startOffset
        textOffset = entries.map { entry in
            defer { offset += entry.sampled.token.count }
            return offset
        }
    }
}
