import InferenceCore
import InferenceTypes

/// The six metrics of a final chunk, durations in nanoseconds; all six are always sent (a missing one breaks
/// usage accounting in LangChain and litellm).
struct OllamaMetrics: Encodable, Sendable {
    var totalDuration: UInt64
    var loadDuration: UInt64
    var promptEvalCount: Int
    var promptEvalDuration: UInt64
    var evalCount: Int
    var evalDuration: UInt64

    enum CodingKeys: String, CodingKey {
        case totalDuration = "total_duration", loadDuration = "load_duration"
        case promptEvalCount = "prompt_eval_count", promptEvalDuration = "prompt_eval_duration"
        case evalCount = "eval_count", evalDuration = "eval_duration"
    }

    init(summary: GenerationSummary?, loadNanos: UInt64, totalNanos: UInt64) {
        totalDuration = totalNanos
        loadDuration = loadNanos
        promptEvalCount = summary?.usage.promptTokens ?? 0
        promptEvalDuration = summary?.timings.promptEvalNanos ?? 0
        evalCount = summary?.usage.completionTokens ?? 0
        evalDuration = summary?.timings.evalNanos ?? 0
    }
}

/// A line of `/api/generate` or `/api/chat`: a piece of the answer, or the final line with `done_reason`
/// and metrics. Generate lines carry `response`; chat lines carry `message`, the final one included
/// (clients require it on every line).
struct OllamaReplyLine: Encodable, Sendable {
    enum Content: Sendable {
        /// `/api/generate`: the answer, and the reasoning when the model thought.
        case response(String, thinking: String?)
        case message(OllamaMessage)
    }

    var model: String
    var createdAt: String
    var content: Content
    var done: Bool
    var doneReason: String?
    var metrics: OllamaMetrics?

    enum CodingKeys: String, CodingKey {
        case model, response, thinking, message, done
        case createdAt = "created_at", doneReason = "done_reason"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encode(createdAt, forKey: .createdAt)
        switch content {
        case .response(let text, let thinking):
            try container.encode(text, forKey: .response)
            try container.encodeIfPresent(thinking, forKey: .thinking)
        case .message(let message): try container.encode(message, forKey: .message)
        }
        try container.encode(done, forKey: .done)
        try container.encodeIfPresent(doneReason, forKey: .doneReason)
        try metrics?.encode(to: encoder)
    }
}

extension FinishReason {
    /// The wire value of `done_reason`.
    var ollamaValue: String {
        switch self {
        case .stop, .cancelled, .toolCalls: "stop"
        case .length: "length"
        }
    }
}
