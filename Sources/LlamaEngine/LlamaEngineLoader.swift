import EngineSupport
import FoundationEssentials
import GGUF
public import InferenceTypes

/// Loads GGUF models into `LlamaEngine`s.
public struct LlamaEngineLoader: EngineLoader {
    /// How models are run.
    public struct Options: Sendable {
        /// The path of libllama.so; `nil` searches the default places.
        public var libraryPath: String?
        /// The context length; 0 uses the length the model was trained for.
        public var contextLength: Int
        /// The most tokens handed to one `llama_decode` call during prompt processing.
        public var batchSize: Int
        /// The most tokens computed at once inside a decode (`n_ubatch`). It sizes llama.cpp's compute
        /// buffer: 128 keeps it near a quarter of the 512 default with the same prompt speed on a CPU.
        public var microBatchSize: Int
        /// CPU threads per model; 0 chooses for the machine (`CPUTopology.defaultThreadCount`: the big cores of a
        /// big.LITTLE board, else one fewer than the cores), so that a core kept busy by another program does
        /// not stall decoding.
        public var threads: Int
        /// Sequences one model runs at once (slots, continuous batching); each has `contextLength` tokens.
        public var parallel: Int
        /// The host-memory cache of recent prompts' KV state, in MiB (0: none).
        public var cacheRAMMiB: Int

        /// Creates options.
        public init(
            libraryPath: String? = nil, contextLength: Int = 4096, batchSize: Int = 512, microBatchSize: Int = 128,
            threads: Int = 0, parallel: Int = 1, cacheRAMMiB: Int = 512
        ) {
            self.libraryPath = libraryPath
            self.contextLength = contextLength
            self.batchSize = batchSize
            self.microBatchSize = microBatchSize
            self.threads = threads
            self.parallel = parallel
            self.cacheRAMMiB = cacheRAMMiB
        }
    }

    public var format: ModelFormat { .gguf }
    private let options: Options

    /// Creates a loader.
    public init(options: Options) {
        self.options = options
    }

    /// Where the runtime library is, without opening it.
    public func locateRuntime() throws(InferenceError) -> String {
        try LlamaRuntime.locate(configured: options.libraryPath)
    }

    /// Opens the runtime now, so that a missing or wrong library is reported at once.
    public func checkRuntime() throws(InferenceError) -> LlamaRuntime {
        try LlamaRuntime.open(path: LlamaRuntime.locate(configured: options.libraryPath))
    }

    /// Loads a model whose slots keep recent prompts' states in host memory (`cacheRAMMiB`, none at 0) and
    /// read and write named prompt caches.
    public func load(_ descriptor: ModelDescriptor) async throws -> any Engine {
        let capacity = max(0, options.cacheRAMMiB) << 20
        return try await load(descriptor) { context in LlamaStateCache(api: context.model.api, capacityBytes: capacity)
        }
    }

    /// Loads a model with a context of at least `contextLength` tokens (never less than `Options.contextLength`,
    /// never more than the model's trained length).
    public func load(_ descriptor: ModelDescriptor, contextLength: Int?) async throws -> any Engine {
        guard let contextLength, options.contextLength > 0, contextLength > options.contextLength else {
            return try await load(descriptor)
        }
        var options = self.options
        options.contextLength = contextLength
        return try await LlamaEngineLoader(options: options).load(descriptor)
    }

    /// What a load would report, from the GGUF header and the sidecar: the architecture, the trained and
    /// configured context, the chat template (the sidecar's first); `nil` when either cannot be read.
    public func preview(_ descriptor: ModelDescriptor) -> ModelInfo? {
        let metadata: GGUFMetadata
        let sidecarTemplate: String?
        do {
            metadata = try GGUFMetadata(path: descriptor.path)
            sidecarTemplate = try ModelSidecar.chatTemplate(forModelAt: descriptor.path)
        } catch {
            return nil
        }
        let trained = metadata.contextLength.flatMap { $0 > 0 ? $0 : nil } ?? 4096
        return ModelInfo(
            architecture: metadata.architecture ?? "unknown", trainedContextLength: trained,
            contextLength: options.contextLength > 0 ? min(options.contextLength, trained) : trained,
            parameterCount: 0, weightsBytes: UInt64(max(0, descriptor.sizeBytes)),
            chatTemplate: sidecarTemplate ?? metadata.chatTemplate,
            quantization: ModelNaming.quantization(forGGUF: descriptor.fileName), constrainsOutput: true)
    }

    /// Loads a model whose slots keep and restore sequence states through what `makeStates` makes on the model
    /// thread for the new context (`nil`: no prompt caches).
    func load(
        _ descriptor: ModelDescriptor,
        makeStates: @escaping @Sendable (LlamaContext) -> (any LlamaSequenceStates)?
    ) async throws -> LlamaEngine {
        let runtime = try checkRuntime()
        let thread = try ModelThread()
        let options = self.options
        let slots = max(1, options.parallel)
        do {
            let (info, session) = try await thread.run { () throws -> (ModelInfo, LlamaSession) in
                try Self.checkFile(descriptor)
                let model = try LlamaModel(runtime: runtime, path: descriptor.path, modelName: descriptor.id)
                let trained = model.trainedContextLength
                let length = options.contextLength > 0 ? min(options.contextLength, trained) : trained
                let threads =
                    options.threads > 0
                    ? options.threads
                    : CPUTopology.defaultThreadCount(cores: ProcessInfo.processInfo.activeProcessorCount)
                let context = try LlamaContext(
                    model: model, contextLength: length, batchSize: options.batchSize,
                    microBatchSize: min(options.microBatchSize, options.batchSize), threads: threads,
                    modelName: descriptor.id, sequences: slots)
                var info = ModelInfo(
                    architecture: model.metadata("general.architecture") ?? "unknown",
                    trainedContextLength: trained, contextLength: context.size,
                    parameterCount: model.parameterCount, weightsBytes: model.weightsBytes,
                    chatTemplate: try ModelSidecar.chatTemplate(forModelAt: descriptor.path)
                        ?? model.chatTemplate,
                    quantization: ModelNaming.quantization(forGGUF: descriptor.fileName),
                    kvCacheBytes: model.kvCacheBytes(contextLength: context.size * context.sequences),
                    bosToken: model.bosText, eosToken: model.eosText, constrainsOutput: true)
                info.runtimeVersion = "llama.cpp \(runtime.version)"
                let loop = LlamaBatchLoop(context: context, states: makeStates(context), thread: thread)
                return (info, LlamaSession(loop: loop, modelName: descriptor.id, threads: threads))
            }
            return LlamaEngine(info: info, slots: slots, thread: thread, session: session)
        } catch {
            await thread.stop(timeout: 5)
            throw (error as? InferenceError)?.hidingPath(of: descriptor) ?? error
        }
    }

    /// Refuses what llama.cpp must not be handed: anything but a regular file (opening a FIFO would block), or
    /// a header that this server's bounded reader refuses (before llama.cpp's own reader sees it).
    private static func checkFile(_ descriptor: ModelDescriptor) throws(InferenceError) {
        do {
            _ = try GGUFMetadata(path: descriptor.path)
        } catch {
            throw .modelLoadFailed(model: descriptor.id, reason: "\(descriptor.fileName): \(error)")
        }
    }
}
