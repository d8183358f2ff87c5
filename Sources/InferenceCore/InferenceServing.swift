import EngineSupport
public import InferenceTypes
import ModelStore
public import OrderedJSON

/// What the API dialects may ask of the core: the models there are, what is loaded, generations, embeddings,
/// prompt tools and pulls. Controllers hold one of these, never a manager, a registry or an engine.
///
/// `InferenceService` is the server's; a test may back a controller with its own.
public protocol InferenceServing: Sendable {
    /// Every model that can be served.
    func availableModels() -> [ModelDescriptor]

    /// The model of that name, or `InferenceError.modelNotFound` (`.modelLoadFailed` naming the problem when
    /// the name is that of an entry that cannot be a model).
    func model(named name: String) throws(InferenceError) -> ModelDescriptor

    /// The models in memory, sorted by id.
    func loadedModels() async -> [LoadedModelStatus]

    /// Loads a model when it is not loaded yet and returns what is known of it.
    /// - Parameter keepAlive: how long it stays loaded from now; `nil` keeps its setting.
    func load(_ name: String, keepAlive: KeepAlive?) async throws
        -> (model: ModelDescriptor, info: ModelInfo, loadNanos: UInt64)

    /// Unloads a model (after the requests it is answering); says whether it was loaded.
    func unload(_ model: ModelDescriptor) async -> Bool

    /// Unloads every loaded model.
    func unloadAll() async

    /// Starts a generation on the model the request names, loading it first when needed.
    /// - Parameter keepAlive: how long the model stays loaded after this request; `nil` keeps its setting.
    func generate(_ request: GenerationRequest, keepAlive: KeepAlive?) async throws -> Generation

    /// Computes embeddings of `inputs` on the model of that name, loading it first when needed.
    /// - Parameter truncate: whether an input longer than the context is cut (else `.contextOverflow`).
    func embed(model name: String, inputs: [String], truncate: Bool, keepAlive: KeepAlive?) async throws
        -> (model: ModelDescriptor, result: EmbeddingResult, loadNanos: UInt64)

    /// Scores `documents` against `query` on the model of that name (a reranker), loading it first when needed;
    /// `.invalidRequest` naming the model when it cannot rerank.
    func rerank(model name: String, query: String, documents: [String], keepAlive: KeepAlive?) async throws
        -> (model: ModelDescriptor, result: RerankResult, loadNanos: UInt64)

    /// The image at an `http(s)` URL a client named instead of sending it (OpenAI `image_url`, Anthropic's `url`
    /// source, Responses `input_image`). Refused with `.invalidRequest` unless the server was started with
    /// fetching allowed; bounded in size and time when it is.
    func fetchImage(url: String) async throws -> ImageData

    /// The prompt the model's chat template makes of a conversation, ending with the start of the assistant's
    /// turn; `name` `nil` picks the default model.
    func applyTemplate(
        model name: String?, messages: [ChatMessage], tools: [JSONValue], variables: [String: JSONValue]
    ) async throws -> String

    /// The token ids of `text` in the model's vocabulary; `name` `nil` picks the default model.
    func tokenize(model name: String?, text: String, addSpecial: Bool, parseSpecial: Bool) async throws -> [Int]

    /// The text of token ids; `name` `nil` picks the default model.
    func detokenize(model name: String?, tokens: [Int]) async throws -> String

    /// Pulls a model into the models directory and returns it as the directory lists it. Throws
    /// `InferenceError.pullFailed` saying what kind of failure ended it.
    func pull(_ reference: String, progress: @Sendable (PullProgress) async -> Void) async throws
        -> ModelDescriptor

    /// Makes `model` available under another name as well; throws `.invalidRequest` when the name is not
    /// usable or is taken.
    func copy(_ model: ModelDescriptor, to name: String) throws(InferenceError) -> ModelDescriptor

    /// Unloads a model (after the requests it is answering) and deletes its file and sidecar.
    func delete(_ model: ModelDescriptor) async throws(InferenceError)

    /// What the model's file says of it (family, size, quantization, context), read without loading it.
    func details(of model: ModelDescriptor) -> ModelDetails

    /// What the model can really do (tools, thinking, embeddings), from its template and its engine; read
    /// from the file's header (GGUF) or sidecar without loading the model when it is not loaded.
    func capabilities(of model: ModelDescriptor) async -> ModelCapabilities

    /// The LoRA adapters a request can pick for the model (`lora`), by name; none by default.
    func loraAdapters(of model: ModelDescriptor) async -> [String]

    /// The tokens the request's input takes as the model will see it (its chat template and tools rendered,
    /// exactly as `generate` would), loading the model when needed: `/v1/messages/count_tokens`,
    /// `/v1/responses/input_tokens`. A runtime that cannot tokenize gets an estimate from the text's length.
    func countTokens(_ request: GenerationRequest) async throws -> Int

    /// Makes (or replaces) the named prompt cache `name` of the system prompt `prompt` on the model of that
    /// name, loading it first when needed. Throws `.invalidRequest` for a name no cache can have, an empty
    /// prompt, or an engine that cannot save its state.
    func savePromptCache(model name: String, name cacheName: String, prompt: String) async throws
        -> PromptCacheEntry

    /// The named prompt caches of the model of that name, by name.
    func promptCaches(model name: String) throws(InferenceError) -> [PromptCacheEntry]

    /// Deletes the named prompt cache `name` of the model of that name; `.promptCacheNotFound` when it has
    /// none.
    func deletePromptCache(model name: String, name cacheName: String) throws(InferenceError)

    /// The defaults of a model made by `createModel` (its system prompt, template, parameters, messages);
    /// `nil` for a model file without any.
    func derivedModel(of model: ModelDescriptor) -> DerivedModel?

    /// Creates a model (Ollama's `/api/create`): a derived model over an existing model's file, or an
    /// uploaded blob made a model file, with the defaults asked for. Throws `.invalidRequest` saying what
    /// cannot be created, `.modelNotFound` for a base that is not there.
    func createModel(_ creation: ModelCreation) async throws -> ModelDescriptor

    /// Whether the blob of that digest (`sha256:<hex>`) is stored; `.invalidRequest` for a malformed digest.
    func hasBlob(digest: String) throws(InferenceError) -> Bool

    /// Starts storing the blob of that digest: the caller writes the body to it and finishes it, which keeps
    /// the blob only when the bytes match the digest. `.invalidRequest` for a malformed digest.
    func blobUpload(digest: String) throws(InferenceError) -> BlobUpload
}
