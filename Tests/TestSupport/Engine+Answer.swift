public import InferenceTypes

extension Engine {
    /// The whole text of a generation and its summary, what a client reads of it; logprobs are skipped.
    public func answer(_ request: EngineRequest) async throws -> (text: String, summary: GenerationSummary) {
        var text = ""
        for try await event in generate(request) {
            switch event {
            case .text(let piece): text += piece
            case .done(let summary): return (text, summary)
            case .logprobs: break
            }
        }
        throw InferenceError.engineFailure("the generation ended without a summary")
    }
}
