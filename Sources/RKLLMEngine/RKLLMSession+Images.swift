import EngineSupport
import InferenceTypes

extension RKLLMSession {
    /// The multimodal input of `plan`'s images, encoded now (on the model thread), one after the other; `nil`
    /// when the plan has none. Throws `.invalidRequest` for an image that cannot be read or a model without an
    /// encoder, `.engineFailure` when the encoder fails.
    func encodeImages(of plan: RKLLMRunPlan) throws(InferenceError) -> RKLLMMultimodalInput? {
        guard !plan.images.isEmpty else { return nil }
        guard let vision else {
            throw .invalidRequest("the model \(configuration.name) does not read images: it has no vision encoder")
        }
        let start = MonotonicClock.now()
        let embeddings = try vision.embeddings(of: plan.images)
        return RKLLMMultimodalInput(
            embeddings: embeddings, imageCount: plan.images.count, imageTokens: vision.imageTokens,
            width: vision.width, height: vision.height, tags: vision.configuration.tags,
            encodingMillis: Float(MonotonicClock.now() &- start) / 1e6)
    }
}
