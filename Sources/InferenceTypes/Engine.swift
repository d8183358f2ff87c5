/// One loaded model, ready to generate. Engines know nothing of HTTP or of API dialects.
public protocol Engine: AnyObject, Sendable {
    /// What the engine learnt about its model when it loaded it.
    var info: ModelInfo { get }

    /// Starts a generation. Events arrive as the runtime produces them; the last one is `.done`.
    ///
    /// The core runs at most `slots` generations of one engine at once (its `Scheduler` queues the rest).
    /// Raising `stop` ends the stream at once with `InferenceError.cancelled` and stops the runtime; ending the
    /// consumption of the stream raises it too.
    func generate(_ request: EngineRequest, stop: CancellationFlag) -> AsyncThrowingStream<EngineEvent, any Error>

    /// How many generations the engine runs at once (1: one after the other).
    var slots: Int { get }

    /// Computes one embedding vector per input, in order, each L2-normalised.
    ///
    /// Runs in turn with the engine's generations. An input longer than the model's context is cut to fit
    /// when `truncate` is true, and refused with `InferenceError.contextOverflow` otherwise. Engines whose
    /// models cannot embed keep the default, which throws `InferenceError.invalidRequest`.
    func embed(_ inputs: [String], truncate: Bool) async throws -> EmbeddingResult

    /// Scores each document's relevance to the query, in the order of the documents (higher is more relevant;
    /// a probability in 0...1 where the model gives one). Runs in turn with the engine's generations. Engines
    /// whose models cannot rerank keep the default, which throws `InferenceError.invalidRequest`.
    func rerank(query: String, documents: [String]) async throws -> RerankResult

    /// Splits text into the model's token ids. `addSpecial` adds the BOS token when the model wants one;
    /// `parseSpecial` turns control-token text (`<|im_start|>`) into the control tokens.
    ///
    /// Engines whose runtime has no tokenizer keep the default, which throws `InferenceError.invalidRequest`.
    func tokenize(_ text: String, addSpecial: Bool, parseSpecial: Bool) async throws -> [Int]

    /// The text of token ids, control tokens written out. Engines whose runtime has no tokenizer keep the
    /// default, which throws `InferenceError.invalidRequest`.
    func detokenize(_ tokens: [Int]) async throws -> String

    /// Evaluates `input` and writes the state it leaves (its KV cache) to the file at `path`, for later
    /// generations that name it (`EngineRequest.promptCache`). Runs in turn with the engine's generations.
    /// Engines that cannot keep the default, which throws `InferenceError.invalidRequest`.
    func savePromptCache(of input: GenerationInput, to path: String) async throws -> SavedPromptCache

    /// Frees the model. The engine answers no generation afterwards.
    func unload() async

    /// Whether the engine can still answer; an engine in a runner process that died cannot.
    var isAlive: Bool { get }

    /// The process that hosts the model when it is not this one.
    var processID: Int32? { get }
}

extension Engine {
    /// One generation at a time.
    public var slots: Int { 1 }

    /// Starts a generation with a stop flag of its own, stopped by ending the consumption of the stream.
    public func generate(_ request: EngineRequest) -> AsyncThrowingStream<EngineEvent, any Error> {
        generate(request, stop: CancellationFlag())
    }

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
    /// The Jinja chat template the core renders conversations with (the sidecar's `chat_template`, else the
    /// one stored in the model); `nil` when the engine renders conversations itself.
    public var chatTemplate: String?
    /// The quantization of the weights (`Q4_1`, `w8a8`), when known.
    public var quantization: String?
    /// The size of the KV cache at `contextLength`, in bytes (0 when unknown).
    public var kvCacheBytes: UInt64
    /// The text of the model's beginning-of-sequence token (`bos_token` in the chat template), when it has one.
    public var bosToken: String?
    /// The text of the model's end-of-sequence token (`eos_token` in the chat template), when it has one.
    public var eosToken: String?
    /// Whether the engine knows the model can think, whatever its chat template says (an RKLLM model of a
    /// thinking family).
    public var canThink: Bool
    /// Whether the engine can constrain its output with a grammar (`EngineRequest.grammar`).
    public var constrainsOutput: Bool
    /// The runtime and its version (`llama.cpp b6000`, `RKLLM 1.2.3`); a saved prompt cache is valid only for
    /// the runtime that wrote it.
    public var runtimeVersion: String = ""
    /// Whether the model reads images (an RKLLM model paired with its RKNN vision encoder).
    public var vision = false
    /// The LoRA adapters loaded with the model, by name; a request picks one with `EngineRequest.lora`.
    public var loraAdapters: [String] = []
    /// Whether the model computes embeddings (a GGUF embedding model, an `.rkllm` embedding model).
    public var embedding = false
    /// Whether the model scores documents against a query (`Engine.rerank`).
    public var reranking = false

    /// Creates model information.
    public init(
        architecture: String, trainedContextLength: Int, contextLength: Int, parameterCount: UInt64,
        weightsBytes: UInt64, chatTemplate: String?, quantization: String?, kvCacheBytes: UInt64 = 0,
        bosToken: String? = nil, eosToken: String? = nil, canThink: Bool = false, constrainsOutput: Bool = false
    ) {
        self.architecture = architecture
        self.trainedContextLength = trainedContextLength
        self.contextLength = contextLength
        self.parameterCount = parameterCount
        self.weightsBytes = weightsBytes
        self.chatTemplate = chatTemplate
        self.quantization = quantization
        self.kvCacheBytes = kvCacheBytes
        self.bosToken = bosToken
        self.eosToken = eosToken
        self.canThink = canThink
        self.constrainsOutput = constrainsOutput
    }
}

/// Loads models of one format into engines.
public protocol EngineLoader: Sendable {
    /// The format this loader handles.
    var format: ModelFormat { get }

    /// Loads a model; throws `InferenceError.runtimeUnavailable` or `.modelLoadFailed` on failure.
    func load(_ model: ModelDescriptor) async throws -> any Engine

    /// Loads a model with a context of at least `contextLength` tokens (a request's `num_ctx`) where the
    /// model's trained length and the memory budget allow, and never less than the configured context; `nil`
    /// loads it as `load(_:)` does. Loaders that cannot size a context keep the default, which ignores it.
    func load(_ model: ModelDescriptor, contextLength: Int?) async throws -> any Engine

    /// What loading the model would report of it (architecture, trained context, chat template, whether it
    /// thinks), read from its file's header and sidecar without loading it; `nil` when this loader cannot tell
    /// or the file cannot be read. The core answers capabilities of models that are not loaded from it.
    func preview(_ model: ModelDescriptor) -> ModelInfo?
}
