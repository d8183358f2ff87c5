import Conversation
import EngineSupport
public import InferenceTypes
public import ModelStore
import SchemaGrammar

/// The core's face to the API dialects (as an `InferenceServing`): find a model, start a generation, manage
/// what is loaded. Its registry, manager and engines stay inside the core.
public struct InferenceService: Sendable {
    /// A generation that has started.
    public struct Generation: Sendable {
        /// The model that runs it.
        public var model: ModelDescriptor
        /// What is known of the loaded model.
        public var info: ModelInfo
        /// Nanoseconds spent loading the model for this request (0 when it was loaded already).
        public var loadNanos: UInt64
        /// The events of the generation; the last is `.done`.
        public var events: GenerationEvents
    }

    /// The models directory.
    let registry: ModelRegistry
    /// The loaded models.
    let manager: ModelManager
    /// Fetches models into the directory; `nil` when this server cannot pull.
    public let puller: (any ModelPuller)?
    /// How long a generation may go without output; `nil` for no limit.
    public let timeLimits: GenerationTimeLimits?

    /// Creates the service.
    public init(
        registry: ModelRegistry, manager: ModelManager, puller: (any ModelPuller)? = nil,
        timeLimits: GenerationTimeLimits? = GenerationTimeLimits()
    ) {
        self.registry = registry
        self.manager = manager
        self.puller = puller
        self.timeLimits = timeLimits
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

    /// Starts a generation on the model the request names, loading it first when needed.
    ///
    /// A conversation is rendered through the model's chat template (when the core renders for its engine),
    /// and the events come with reasoning and tool calls split out of the text. Throws `.invalidRequest` for
    /// what the model cannot do (thinking on a model that cannot think).
    /// - Parameter keepAlive: how long the model stays loaded after this request; `nil` keeps its setting.
    public func generate(_ request: GenerationRequest, keepAlive: KeepAlive? = nil) async throws -> Generation {
        let descriptor = try model(named: request.model)
        let lease = try await manager.acquire(descriptor, keepAlive: keepAlive)
        let prepared: (request: GenerationRequest, output: OutputInterpreter)
        do {
            prepared = try await lease.conversation.prepare(request)
        } catch {
            lease.release()
            throw error
        }
        var events = lease.engine.generate(prepared.request)
        if let timeLimits {
            events = timeLimits.watch(
                events, promptBytes: prepared.request.input.byteCount, ahead: lease.requestsAhead)
        }
        return Generation(
            model: descriptor, info: lease.engine.info, loadNanos: lease.loadNanos,
            events: GenerationEvents(events, lease: lease, output: prepared.output))
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
