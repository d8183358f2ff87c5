import InferenceCore
import InferenceTypes

/// The range checks shared by the chat and completion endpoints.
enum SamplingValidation {
    static func check(n: Int?) throws(OpenAIError) {
        if let n, n != 1 { throw .invalidRequest("only n=1 is supported", param: "n") }
    }

    /// The core's `logprobs` for chat's `logprobs` and `top_logprobs` (0-20, and only with `logprobs`).
    static func logprobs(_ enabled: Bool?, top: Int?) throws(OpenAIError) -> Int? {
        if let top {
            guard (0...20).contains(top) else {
                throw .invalidRequest("top_logprobs must be between 0 and 20, got \(top)", param: "top_logprobs")
            }
            guard enabled == true else {
                throw .invalidRequest("top_logprobs needs logprobs set to true", param: "top_logprobs")
            }
        }
        return enabled == true ? top ?? 0 : nil
    }

    static func maxTokens(_ value: Int?) throws(OpenAIError) -> Int? {
        guard let value else { return nil }
        guard value >= 1 else { throw .invalidRequest("max_tokens must be at least 1", param: "max_tokens") }
        return value
    }

    static func options(
        temperature: Double?, topP: Double?, topK: Int?, minP: Double?, repeatPenalty: Double?,
        presencePenalty: Double?, frequencyPenalty: Double?, seed: Int?
    ) throws(OpenAIError) -> SamplingOptions {
        try inRange(temperature, 0...2, "temperature")
        try inRange(topP, 0...1, "top_p")
        try inRange(minP, 0...1, "min_p")
        try inRange(presencePenalty, -2...2, "presence_penalty")
        try inRange(frequencyPenalty, -2...2, "frequency_penalty")
        if let repeatPenalty, repeatPenalty <= 0 {
            throw .invalidRequest("repeat_penalty must be greater than 0", param: "repeat_penalty")
        }
        if let topK, topK < 0 { throw .invalidRequest("top_k must not be negative", param: "top_k") }
        return SamplingOptions(
            temperature: temperature, topK: topK, topP: topP, minP: minP, repeatPenalty: repeatPenalty,
            presencePenalty: presencePenalty, frequencyPenalty: frequencyPenalty,
            seed: seed.map { UInt32(truncatingIfNeeded: $0) })
    }

    private static func inRange(_ value: Double?, _ range: ClosedRange<Double>, _ name: String) throws(OpenAIError) {
        guard let value else { return }
        guard range.contains(value) else {
            throw .invalidRequest(
                "\(name) must be between \(range.lowerBound) and \(range.upperBound), got \(value)", param: name)
        }
    }
}
