import Glibc

/// How a Qwen3-Reranker-style model is asked about one document: the prompt of its model card, and the tokens
/// whose logits give the answer.
struct RKLLMRerankFormat: Sendable, Equatable {
    /// The token id of "yes".
    var yesToken: Int
    /// The token id of "no".
    var noToken: Int
    /// The task the query is judged for.
    var instruction: String

    /// Qwen3-Reranker's default task.
    static let defaultInstruction = "Given a web search query, retrieve relevant passages that answer the query"

    /// The system turn of Qwen3-Reranker's prompt.
    static let system =
        "Judge whether the Document meets the requirements based on the Query and the Instruct provided. "
        + "Note that the answer can only be \"yes\" or \"no\"."

    /// The whole prompt for one query-document pair, the assistant's turn opened with an empty think block so
    /// that the next token is the answer.
    func prompt(query: String, document: String) -> String {
        "<|im_start|>system\n\(Self.system)<|im_end|>\n<|im_start|>user\n"
            + "<Instruct>: \(instruction)\n<Query>: \(query)\n<Document>: \(document)"
            + "<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n"
    }

    /// The probability of "yes" against "no", from their logits, computed without overflow.
    static func score(yes: Float, no: Float) -> Double {
        let difference = Double(no) - Double(yes)
        guard difference.isFinite else { return difference.isNaN ? 0.5 : (difference > 0 ? 0 : 1) }
        // exp(yes) / (exp(yes) + exp(no)) = 1 / (1 + exp(no - yes)), in the form whose exp cannot overflow.
        if difference > 0 {
            let e = exp(-difference)
            return e / (1 + e)
        }
        return 1 / (1 + exp(difference))
    }
}
