/// One loaded model, ready to generate. Engines know nothing of HTTP or of API dialects.
public protocol Engine: AnyObject, Sendable {
    /// What the engine learnt about its model when it loaded it.
    var info: ModelInfo { get }

    /// Starts a generation. Events arrive as the runtime produces them; the last one is `.done`.
    ///
    /// Generations of one engine run one at a time, in the order they were asked for. Ending the
    /// consumption of the stream (a client that disconnects) stops the generation promptly.
    func generate(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, any Error>

    /// Computes one embedding vector per input, in order, each L2-normalised.
    ///
    /// Runs in turn with the engine's generations. An input longer than the model's context is cut to fit
    /// when `truncate` is true, and refused with `InferenceError.contextOverflow` otherwise. Engines whose
    /// models cannot embed keep the default, which throws `InferenceError.invalidRequest`.
    func embed(_ inputs: [String], truncate: Bool) async throws -> EmbeddingResult

    /// Frees the model. The engine answers no generation afterwards.
    func unload() async

    /// Whether the engine can still answer; an engine in a runner process that died cannot.
    var isAlive: Bool { get }

    /// The process that hosts the model when it is not this one.
    var processID: Int32? { get }
}

extension Engine {
    /// An engine in this process lives as long as the process.
    public var isAlive: Bool { true }

    /// An engine in this process has no process of its own.
    public var processID: Int32? { nil }
}

/// What is known of a loaded model.
public struct ModelInfo: Sendable, Hashable, Codable {
    /// The model's architecture (`llama`, `qwen3`, ...).
    public var architecture: String
    /// The context length the model was trained for.
    public var trainedContextLength: Int
    /// The context length the engine runs it with.
    public var contextLength: Int
    /// The number of parameters, when known.
    public var parameterCount: UInt64
    /// The size of the weights in bytes.
    public var weightsBytes: UInt64
    /// The chat template stored with the model, when it has one.
    public var chatTemplate: String?
    /// The quantization of the weights (`Q4_1`, `w8a8`), when known.
    public var quantization: String?
    /// The size of the KV cache at `contextLength`, in bytes (0 when unknown).
    public var kvCacheBytes: UInt64

    /// Creates model information.
    public init(
        architecture: String, trainedContextLength: Int, contextLength: Int, parameterCount: UInt64,
        weightsBytes: UInt64, chatTemplate: String?, quantization: String?, kvCacheBytes: UInt64 = 0
    ) {
        self.architecture = architecture
        self.trainedContextLength = trainedContextLength
        self.contextLength = contextLength
        self.parameterCount = parameterCount
        self.weightsBytes = weightsBytes
        self.chatTemplate = chatTemplate
        self.quantization = quantization
        self.kvCacheBytes = kvCacheBytes
    }
}

/// Loads models of one format into engines.
public protocol EngineLoader: Sendable {
    /// The format this loader handles.
    var format: ModelFormat { get }

    /// Loads a model; throws `InferenceError.runtimeUnavailable` or `.modelLoadFailed` on failure.
    func load(_ model: ModelDescriptor) async throws -> any Engine
}
