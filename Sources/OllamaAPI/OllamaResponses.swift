import InferenceCore

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

/// A line of `/api/generate`: a piece of the answer, or the final line with `done_reason` and metrics.
struct OllamaGenerateChunk: Encodable, Sendable {
    var model: String
    var createdAt: String
    var response: String
    var done: Bool
    var doneReason: String?
    var metrics: OllamaMetrics?

    enum CodingKeys: String, CodingKey {
        case model, response, done
        case createdAt = "created_at", doneReason = "done_reason"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(response, forKey: .response)
        try container.encode(done, forKey: .done)
        try container.encodeIfPresent(doneReason, forKey: .doneReason)
        try metrics?.encode(to: encoder)
    }
}

/// A line of `/api/chat`. Every line, the final one included, carries `message` (clients require it).
struct OllamaChatChunk: Encodable, Sendable {
    var model: String
    var createdAt: String
    var message: OllamaMessage
    var done: Bool
    var doneReason: String?
    var metrics: OllamaMetrics?

    enum CodingKeys: String, CodingKey {
        case model, message, done
        case createdAt = "created_at", doneReason = "done_reason"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(message, forKey: .message)
        try container.encode(done, forKey: .done)
        try container.encodeIfPresent(doneReason, forKey: .doneReason)
        try metrics?.encode(to: encoder)
    }
}

extension FinishReason {
    /// The wire value of `done_reason`.
    var ollamaValue: String {
        switch self {
        case .stop, .cancelled: "stop"
        case .length: "length"
        }
    }
}
