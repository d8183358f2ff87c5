import EngineSupport
public import InferenceTypes
import ModelStore

extension InferenceService: InferenceServing {
    /// The models in memory, sorted by id.
    public func loadedModels() async -> [LoadedModelStatus] {
        await manager.loadedModels().map(\.status)
    }

    /// Unloads a model (after the requests it is answering); says whether it was loaded.
    @discardableResult
    public func unload(_ model: ModelDescriptor) async -> Bool {
        await manager.unload(model)
    }

    /// Unloads every loaded model.
    public func unloadAll() async {
        await manager.unloadAll()
    }

    /// Makes `model` available under another name as well: a hard link in the models directory when the
    /// file system allows, with the model's sidecar.
    public func copy(_ model: ModelDescriptor, to name: String) throws(InferenceError) -> ModelDescriptor {
        try registry.copy(model, to: name)
    }

    /// What the model's file says of it, read once per version of the file.
    public func details(of model: ModelDescriptor) -> ModelDetails {
        ModelDetails.of(model)
    }

    /// Unloads a model (after the requests it is answering) and deletes its file and sidecar.
    public func delete(_ model: ModelDescriptor) async throws(InferenceError) {
        // A derived model is only its definition: the base's engine stays loaded.
        if !registry.isDerivedOnly(model) { await manager.unload(model) }
        try registry.delete(model)
    }
}
