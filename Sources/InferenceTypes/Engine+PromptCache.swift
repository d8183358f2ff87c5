extension Engine {
    /// Refuses: this engine cannot save a prompt's state.
    public func savePromptCache(of input: GenerationInput, to path: String) async throws -> SavedPromptCache {
        throw InferenceError.invalidRequest("this model's engine cannot save prompt caches")
    }
}
