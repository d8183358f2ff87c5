public import InferenceTypes

extension InferenceService {
    /// Refuses a LoRA adapter on a model whose engine has none to offer, before the model is loaded: adapters
    /// are served on RKLLM models only, and a prompt cache holds the base model's prefill.
    static func checkLora(of request: GenerationRequest, for model: ModelDescriptor) throws(InferenceError) {
        guard request.lora != nil else { return }
        guard model.format == .rkllm else {
            throw .invalidRequest("LoRA adapters are served on RKLLM models only")
        }
        if request.useCache != nil {
            throw .invalidRequest(
                "use_cache and lora cannot be combined: a prompt cache holds the base model's prefill")
        }
    }

    /// The adapter `name` of the loaded model that `info` describes, for `EngineRequest.lora`; `nil` for none.
    /// A name the model does not have is an `.invalidRequest` that lists the ones it has.
    static func loraAdapter(_ name: String?, of model: ModelDescriptor, info: ModelInfo) throws(InferenceError)
        -> String?
    {
        guard let name else { return nil }
        guard info.loraAdapters.contains(name) else {
            let listed = info.loraAdapters.isEmpty ? "none" : info.loraAdapters.joined(separator: ", ")
            throw .invalidRequest("model '\(model.id)' has no LoRA adapter '\(name)' (adapters: \(listed))")
        }
        return name
    }

    /// The LoRA adapters of a model, as `/api/show` lists them: the loaded engine's, else what its engine would
    /// load (`EngineLoader.preview`).
    public func loraAdapters(of model: ModelDescriptor) async -> [String] {
        if let loaded = await manager.loadedModel(model) { return loaded.engine.info.loraAdapters }
        return manager.preview(model)?.loraAdapters ?? []
    }
}
