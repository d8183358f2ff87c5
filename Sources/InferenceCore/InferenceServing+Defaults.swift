import EngineSupport
public import InferenceTypes
import ModelStore
public import OrderedJSON

extension InferenceServing {
    /// Loads a model, keeping its keep-alive setting.
    @discardableResult
    public func load(_ name: String) async throws -> (model: ModelDescriptor, info: ModelInfo, loadNanos: UInt64) {
        try await load(name, keepAlive: nil)
    }

    /// Unloads the model of that name (after the requests it is answering); says whether it was loaded.
    @discardableResult
    public func unload(_ name: String) async throws -> Bool {
        await unload(try model(named: name))
    }

    /// Starts a generation, keeping the model's keep-alive setting.
    public func generate(_ request: GenerationRequest) async throws -> Generation {
        try await generate(request, keepAlive: nil)
    }

    /// Computes embeddings, keeping the model's keep-alive setting.
    public func embed(model name: String, inputs: [String], truncate: Bool) async throws
        -> (model: ModelDescriptor, result: EmbeddingResult, loadNanos: UInt64)
    {
        try await embed(model: name, inputs: inputs, truncate: truncate, keepAlive: nil)
    }

    /// Refuses: a service that cannot tell has no reranker.
    public func rerank(model name: String, query: String, documents: [String], keepAlive: KeepAlive?) async throws
        -> (model: ModelDescriptor, result: RerankResult, loadNanos: UInt64)
    {
        throw InferenceError.invalidRequest("model '\(name)' does not rerank")
    }

    /// Refuses: images are sent inline unless the server fetches them.
    public func fetchImage(url: String) async throws -> ImageData {
        throw InferenceError.imageURLsNotFetched
    }

    /// The prompt of a conversation without template variables.
    public func applyTemplate(model name: String?, messages: [ChatMessage], tools: [JSONValue]) async throws
        -> String
    {
        try await applyTemplate(model: name, messages: messages, tools: tools, variables: [:])
    }

    /// Only `completion`: what a service that cannot tell says of every model.
    public func capabilities(of model: ModelDescriptor) async -> ModelCapabilities {
        ModelCapabilities()
    }

    /// None: a service that cannot tell offers no adapters.
    public func loraAdapters(of model: ModelDescriptor) async -> [String] {
        []
    }

    /// Refuses: this service cannot count tokens.
    public func countTokens(_ request: GenerationRequest) async throws -> Int {
        throw InferenceError.invalidRequest("this server cannot count tokens")
    }

    /// The model a request that names none is for: the first loaded model, else the only model there is.
    /// A named model is looked up as usual.
    public func defaultModel(preferring name: String?) async throws -> ModelDescriptor {
        if let name, !name.isEmpty { return try model(named: name) }
        if let loaded = await loadedModels().first { return loaded.descriptor }
        let available = availableModels()
        guard available.count == 1, let only = available.first else {
            throw InferenceError.invalidRequest(
                available.isEmpty ? "no model is available" : "no model is loaded; name one with \"model\"")
        }
        return only
    }
}

extension InferenceError {
    /// What a server that does not fetch images answers an `http(s)` image URL with.
    public static let imageURLsNotFetched = InferenceError.invalidRequest(
        "image URLs are not fetched: send the image inline as a data: URL or base64, or start the server with "
            + "--allow-image-urls")
}
