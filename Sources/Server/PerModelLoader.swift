import InferenceTypes

/// A loader whose settings depend on the model and on the context a request asks for: it asks `make` for the
/// loader of each load (the slots `--parallel 0` chooses per model, a request's `num_ctx` within the memory
/// budget), and answers previews of models that are not loaded with `previewing` (the in-process loaders' reading
/// of headers and sidecars, also when models load in runner processes).
struct PerModelLoader: EngineLoader {
    let format: ModelFormat
    let previewing: @Sendable (ModelDescriptor) -> ModelInfo?
    let make: @Sendable (ModelDescriptor, Int?) -> any EngineLoader

    func load(_ model: ModelDescriptor) async throws -> any Engine {
        try await make(model, nil).load(model)
    }

    func load(_ model: ModelDescriptor, contextLength: Int?) async throws -> any Engine {
        try await make(model, contextLength).load(model)
    }

    func preview(_ model: ModelDescriptor) -> ModelInfo? {
        previewing(model)
    }
}
