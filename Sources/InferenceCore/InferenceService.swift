import Conversation
import EngineSupport
public import InferenceTypes
public import ModelStore
import SchemaGrammar

/// The core's face to the API dialects (as an `InferenceServing`): find a model, start a generation, manage
/// what is loaded. Its registry, manager and engines stay inside the core.
public struct InferenceService: Sendable {
    /// The models directory.
    let registry: ModelRegistry
    /// The loaded models.
    let manager: ModelManager
    /// Fetches models into the directory; `nil` when this server cannot pull.
    public let puller: (any ModelPuller)?
    /// How long a generation may go without output; `nil` for no limit.
    public let timeLimits: GenerationTimeLimits?
    /// Fetches images clients name by `http(s)` URL; `nil` refuses them (`InferenceError.imageURLsNotFetched`).
    public let imageFetcher: ImageFetcher?

    /// Creates the service.
    public init(
        registry: ModelRegistry, manager: ModelManager, puller: (any ModelPuller)? = nil,
        timeLimits: GenerationTimeLimits? = GenerationTimeLimits(), imageFetcher: ImageFetcher? = nil
    ) {
        self.registry = registry
        self.manager = manager
        self.puller = puller
        self.timeLimits = timeLimits
        self.imageFetcher = imageFetcher
    }

    /// Pulls a model into the models directory and returns it as the registry lists it.
    public func pull(_ reference: String, progress: @Sendable (PullProgress) async -> Void) async throws
        -> ModelDescriptor
    {
        guard let puller else {
            throw InferenceError.pullFailed(reason: "this server cannot pull models", kind: .unsupported)
        }
        let fileName = try await puller.pull(reference, into: registry.directory, progress: progress)
        guard let model = registry.models().first(where: { $0.fileName == fileName }) else {
            throw InferenceError.pullFailed(
                reason: "\(fileName) was pulled but is not in the models directory", kind: .internalFailure)
        }
        return model
    }

    /// Every model that can be served.
    public func availableModels() -> [ModelDescriptor] {
        registry.models()
    }

    /// The model of that name, or `InferenceError.modelNotFound` (`.modelLoadFailed` naming the problem when
    /// the name is that of an entry that cannot be a model, such as a FIFO named `x.gguf`).
    public func model(named name: String) throws(InferenceError) -> ModelDescriptor {
        try registry.find(name)
    }

    /// Loads a model when it is not loaded yet and returns what is known of it.
    /// - Parameter keepAlive: how long it stays loaded from now; `nil` keeps its setting.
    @discardableResult
    public func load(_ name: String, keepAlive: KeepAlive?) async throws
        -> (model: ModelDescriptor, info: ModelInfo, loadNanos: UInt64)
    {
        let descriptor = try model(named: name)
        let lease = try await manager.acquire(descriptor, keepAlive: keepAlive)
        defer { lease.release() }
        return (descriptor, lease.engine.info, lease.loadNanos)
    }

    /// Starts a generation on the model the request names, loading it first when needed, and returns once
    /// its first event is there (or throws what came before it).
    ///
    /// The response format is compiled into a grammar first (an invalid schema is `.invalidResponseFormat`
    /// before any model is loaded); a conversation is rendered through the model's chat template (when the
    /// core renders for its engine); the model's `Scheduler` admits the generation in turn (`.busy` when too
    /// many wait); the events come with reasoning and tool calls split out of the text, and stop with an
    /// `.engineFailure` when the engine is silent past the time limits. Throws `.invalidRequest` for what the
    /// model cannot do (thinking on a model that cannot think), and `CancellationError` when the calling task
    /// is cancelled before the first event. A request that names a prompt cache (`useCache`) starts from it:
    /// `.promptCacheNotFound` when the model has none of that name, `.promptCacheMismatch` when it was made
    /// with another model file or runtime, `.invalidRequest` when the prompt does not begin with its text; a
    /// conversation without a system message gets the cache's prompt as one. A request that asks for more
    /// context (`contextLength`) than the loaded model has reloads it with more (see `ModelManager.acquire`).
    /// Images (see `checkedImages`) are a 400 for a model without `vision`, or when one cannot be read, before
    /// any model is loaded; they reach the engine as `EngineRequest.images`, at markers in a prompt the core
    /// renders.
    /// - Parameter keepAlive: how long the model stays loaded after this request; `nil` keeps its setting.
    public func generate(_ request: GenerationRequest, keepAlive: KeepAlive?) async throws -> Generation {
        let formatGrammar = try OutputConstraint.grammar(for: request.responseFormat)
        let (descriptor, request, derivedTemplate) = applyingDerivedDefaults(
            request, named: try model(named: request.model))
        try Self.checkLora(of: request, for: descriptor)
        let images = try await checkedImages(of: request, model: descriptor)
        let lease = try await manager.acquire(
            descriptor, keepAlive: keepAlive, contextLength: request.contextLength)
        let reader: GenerationReader
        do {
            let marked = Self.markingImages(
                request, coreRenders: derivedTemplate != nil || lease.conversation.renderer != nil)
            let (request, cache) = try await leasedInput(marked, template: derivedTemplate, on: lease)
            var (prepared, output) = try await lease.conversation.prepare(request, formatGrammar: formatGrammar)
            prepared.lora = try Self.loraAdapter(request.lora, of: descriptor, info: lease.engine.info)
            prepared.images = images
            if let cache {
                try Self.check(prepared.input, beginsWith: cache)
                prepared.promptCache = PromptCacheUse(
                    path: promptCacheStore.statePath(cache.name, of: descriptor), text: cache.text,
                    tokens: cache.tokens)
            }
            let admission = try await lease.scheduler.admit()
            let stop = CancellationFlag()
            // The clock starts when the engine gets the request; the requests that were ahead in the queue
            // still widen the first-event limit, as when engines queued themselves.
            let deadline = timeLimits.map { limits in
                GenerationDeadline(
                    firstLimit: limits.firstEvent(promptBytes: prepared.input.byteCount, ahead: admission.ahead),
                    betweenLimit: limits.betweenEvents, stop: stop)
            }
            reader = GenerationReader(
                engine: lease.engine.generate(prepared, stop: stop), output: output, lease: lease,
                admission: admission, deadline: deadline, stop: stop)
        } catch {
            await lease.releaseNow()
            throw error
        }
        return try await Generation(
            model: descriptor, info: lease.engine.info, loadNanos: lease.loadNanos, reader: reader)
    }

    /// Computes embeddings of `inputs` on the model of that name, loading it first when needed.
    ///
    /// Throws `InferenceError.invalidRequest` for no inputs, an empty input, or a model that does not embed,
    /// and `.contextOverflow` for an input longer than the context when `truncate` is false.
    public func embed(
        model name: String, inputs: [String], truncate: Bool, keepAlive: KeepAlive?
    ) async throws -> (model: ModelDescriptor, result: EmbeddingResult, loadNanos: UInt64) {
        guard !inputs.isEmpty else { throw InferenceError.invalidRequest("the input is empty") }
        guard !inputs.contains(where: \.isEmpty) else {
            throw InferenceError.invalidRequest("an input is an empty string")
        }
        let descriptor = try model(named: name)
        let lease = try await manager.acquire(descriptor, keepAlive: keepAlive)
        defer { lease.release() }
        do {
            return (descriptor, try await lease.engine.embed(inputs, truncate: truncate), lease.loadNanos)
        } catch let error as InferenceError where error == .embeddingsUnsupported {
            throw InferenceError.invalidRequest("model '\(descriptor.id)' does not support embeddings")
        }
    }
}
