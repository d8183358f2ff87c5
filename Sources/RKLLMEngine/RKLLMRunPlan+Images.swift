import InferenceTypes

extension RKLLMRunPlan {
    /// Why a request's images cannot run on this model, `nil` when they can: the model has no vision encoder,
    /// or the prompt's image markers do not number the images (each marker is where one image's embeddings go).
    static func imageRefusal(
        _ request: EngineRequest, input: RKLLMInputText, configuration: RKLLMModelConfiguration
    ) -> InferenceError? {
        guard request.images.count <= maxImages else {
            return .invalidRequest(
                "\(request.images.count) images are more than one request to an RKLLM model takes (\(maxImages))")
        }
        guard configuration.vision != nil else {
            return .invalidRequest(
                "the model \(configuration.name) does not read images: it has no vision encoder (.rknn) beside it")
        }
        let markers = markerCount(in: input.text)
        guard markers == request.images.count else {
            return .invalidRequest(
                "the prompt has \(markers) image marker\(markers == 1 ? "" : "s") (\(EngineRequest.imageMarker)) "
                    + "for \(request.images.count) image\(request.images.count == 1 ? "" : "s")")
        }
        return nil
    }

    /// The most images one request carries: each is a whole encoder run and hundreds of prompt tokens.
    static let maxImages = 16

    /// How many times the image marker occurs in `text`.
    static func markerCount(in text: String) -> Int {
        text.ranges(of: EngineRequest.imageMarker).count
    }

    /// Whether the plan runs alone: a multimodal input fills a run of its own.
    var runsAlone: Bool { !images.isEmpty }
}
