import InferenceTypes

/// A loader whose settings depend on the model: it asks `make` for the loader of each model it loads (the
/// slots `--parallel 0` chooses per model).
struct PerModelLoader: EngineLoader {
    let format: ModelFormat
    let make: @Sendable (ModelDescriptor) -> any EngineLoader

    func load(_ model: ModelDescriptor) async throws -> any Engine {
        try await make(model).load(model)
    }
}
