import InferenceTypes

extension SamplingValidation {
    /// The core's `contextLength` for our `/v1` extension field `num_ctx` (Ollama's option of that name): a
    /// positive token count; the core keeps it within the model's trained length and the memory budget.
    static func contextLength(_ value: Int?) throws(OpenAIError) -> Int? {
        guard let value else { return nil }
        guard value >= 1 else {
            throw .invalidRequest("num_ctx must be a positive number of tokens, got \(value)", param: "num_ctx")
        }
        return value
    }
}
