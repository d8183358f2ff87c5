extension Engine {
    /// Refuses: this engine's runtime has no tokenizer.
    public func tokenize(_ text: String, addSpecial: Bool, parseSpecial: Bool) async throws -> [Int] {
        throw InferenceError.tokenizationUnsupported
    }

    /// Refuses: this engine's runtime has no tokenizer.
    public func detokenize(_ tokens: [Int]) async throws -> String {
        throw InferenceError.tokenizationUnsupported
    }
}

extension InferenceError {
    /// The message of what an engine without a tokenizer throws (it crosses the runner link as text).
    public static let cannotTokenize = "this model's runtime cannot tokenize"
    /// What an engine without a tokenizer throws.
    static let tokenizationUnsupported = InferenceError.invalidRequest(cannotTokenize)
}
