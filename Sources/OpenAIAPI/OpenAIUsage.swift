import InferenceCore
import InferenceTypes

/// `usage` in OpenAI's shape, with llama.cpp-style cache details.
struct OpenAIUsage: Encodable, Sendable {
    struct PromptDetails: Encodable, Sendable {
        var cachedTokens: Int
        enum CodingKeys: String, CodingKey { case cachedTokens = "cached_tokens" }
    }

    struct CompletionDetails: Encodable, Sendable {
        var reasoningTokens: Int
        enum CodingKeys: String, CodingKey { case reasoningTokens = "reasoning_tokens" }
    }

    var promptTokens: Int
    var completionTokens: Int
    var totalTokens: Int
    var promptTokensDetails: PromptDetails
    var completionTokensDetails: CompletionDetails

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
        case promptTokensDetails = "prompt_tokens_details"
        case completionTokensDetails = "completion_tokens_details"
    }

    init(_ usage: Usage) {
        promptTokens = usage.promptTokens
        completionTokens = usage.completionTokens
        totalTokens = usage.totalTokens
        promptTokensDetails = PromptDetails(cachedTokens: usage.cachedTokens)
        completionTokensDetails = CompletionDetails(reasoningTokens: usage.reasoningTokens)
    }
}

/// llama.cpp-style `timings` (milliseconds), sent beside `usage`.
struct OpenAITimings: Encodable, Sendable {
    var cacheN: Int
    var promptN: Int
    var promptMs: Double
    var promptPerSecond: Double
    var predictedN: Int
    var predictedMs: Double
    var predictedPerSecond: Double
    /// Time spent waiting for the model before the prompt was evaluated (an extension of llama.cpp's fields).
    var queueMs: Double

    enum CodingKeys: String, CodingKey {
        case queueMs = "queue_ms"
        case cacheN = "cache_n"
        case promptN = "prompt_n"
        case promptMs = "prompt_ms"
        case promptPerSecond = "prompt_per_second"
        case predictedN = "predicted_n"
        case predictedMs = "predicted_ms"
        case predictedPerSecond = "predicted_per_second"
    }

    init(_ summary: GenerationSummary) {
        let evaluated = summary.usage.promptTokens - summary.usage.cachedTokens
        cacheN = summary.usage.cachedTokens
        promptN = evaluated
        promptMs = Double(summary.timings.promptEvalNanos) / 1e6
        promptPerSecond = promptMs > 0 ? Double(evaluated) * 1000 / promptMs : 0
        predictedN = summary.usage.completionTokens
        predictedMs = Double(summary.timings.evalNanos) / 1e6
        predictedPerSecond = predictedMs > 0 ? Double(predictedN) * 1000 / predictedMs : 0
        queueMs = Double(summary.timings.queueNanos) / 1e6
    }
}

extension FinishReason {
    /// The wire value of `finish_reason`.
    var openAIValue: String {
        switch self {
        case .stop, .cancelled: "stop"
        case .toolCalls: "tool_calls"
        case .length: "length"
        }
    }
}
