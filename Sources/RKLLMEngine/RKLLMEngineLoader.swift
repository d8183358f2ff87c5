import EngineSupport
import FoundationEssentials
public import InferenceTypes

/// Loads `.rkllm` models into `RKLLMEngine`s.
public struct RKLLMEngineLoader: EngineLoader {
    /// How models are run.
    public struct Options: Sendable {
        /// The path of librkllmrt.so; `nil` searches the default places.
        public var libraryPath: String?
        /// The runtime layout; `nil` detects it.
        public var abi: RKLLMABI?
        /// The CPU cores the runtime may use; `nil` uses the big cores of the board.
        public var cpuMask: UInt32?
        /// The longest wait for `rkllm_destroy`, which is known to hang, in seconds.
        public var destroyTimeout: Double
        /// Inputs per `rkllm_run` (`n_batch`, at most 8); 0 takes the model sidecar's `n_batch`, else 1.
        public var parallel: Int
        /// Where the prompt-cache files of prompt prefixes go (one folder per model inside); `nil` turns the
        /// automatic prompt cache off.
        public var promptCacheDirectory: String?
        /// The most disk the prompt-cache files of one model take, in MiB; the least recently used go first.
        public var promptCacheDiskMiB: Int
        /// The context (`max_context_len`) a request asked for (`num_ctx`), at most the file's trained length;
        /// `nil` takes the sidecar's `context_length`, else the file's. Never less than that default.
        public var contextLength: Int?
        /// The path of librknnrt.so, which runs a vision model's encoder; `nil` searches the default places
        /// (`RKNNRuntime.locate`, which also looks beside the RKLLM runtime).
        public var rknnLibraryPath: String?

        /// Creates options.
        public init(
            libraryPath: String? = nil, abi: RKLLMABI? = nil, cpuMask: UInt32? = nil, destroyTimeout: Double = 10,
            parallel: Int = 0, promptCacheDirectory: String? = nil, promptCacheDiskMiB: Int = 1024,
            contextLength: Int? = nil, rknnLibraryPath: String? = nil
        ) {
            self.contextLength = contextLength
            self.rknnLibraryPath = rknnLibraryPath
            self.libraryPath = libraryPath
            self.abi = abi
            self.cpuMask = cpuMask
            self.destroyTimeout = destroyTimeout
            self.parallel = parallel
            self.promptCacheDirectory = promptCacheDirectory
            self.promptCacheDiskMiB = promptCacheDiskMiB
        }
    }

    public var format: ModelFormat { .rkllm }
    private let options: Options
    /// Makes a vision model's encoder (the RKNN one; tests put a scripted one in).
    var makeImageEncoder: RKLLMImageEncoderFactory = { configuration, libraryPath, modelName throws(InferenceError) in
        try RKLLMVisionEncoder(configuration: configuration, libraryPath: libraryPath, modelName: modelName)
    }

    /// Creates a loader.
    public init(options: Options) {
        self.options = options
    }

    /// Opens the runtime now, so that a missing or unknown library is reported at start-up.
    public func checkRuntime() throws(InferenceError) -> RKLLMRuntime {
        try RKLLMRuntime.open(path: RKLLMRuntime.locate(configured: options.libraryPath), abi: options.abi)
    }

    /// Loads a model with a `max_context_len` of at least `contextLength` tokens, within the file's trained
    /// length.
    public func load(_ descriptor: ModelDescriptor, contextLength: Int?) async throws -> any Engine {
        var options = self.options
        options.contextLength = contextLength
        var loader = RKLLMEngineLoader(options: options)
        loader.makeImageEncoder = makeImageEncoder
        return try await loader.load(descriptor)
    }

    /// What a load would report, from the file name and the sidecar (its chat template, whether the model
    /// thinks); `nil` when the sidecar cannot be read.
    public func preview(_ descriptor: ModelDescriptor) -> ModelInfo? {
        let sidecar: RKLLMSidecar?
        do {
            sidecar = try RKLLMSidecar.load(forModelAt: descriptor.path)
        } catch {
            return nil
        }
        var info = Self.info(
            of: RKLLMModelConfiguration(descriptor: descriptor, sidecar: sidecar, options: options),
            descriptor: descriptor)
        info.loraAdapters = ((try? RKLLMLoraAdapter.all(forModelAt: descriptor.path, sidecar: sidecar)) ?? []).map(
            \.name)
        return info
    }

    /// What the engine reports of a model it runs with `configuration`.
    static func info(of configuration: RKLLMModelConfiguration, descriptor: ModelDescriptor) -> ModelInfo {
        var info = ModelInfo(
            architecture: configuration.format == nil
                ? "rkllm" : configuration.name.split(separator: "-").first.map(String.init) ?? "rkllm",
            trainedContextLength: configuration.trainedContextLength, contextLength: configuration.contextLength,
            parameterCount: 0, weightsBytes: UInt64(max(0, descriptor.sizeBytes)),
            chatTemplate: configuration.chatTemplate, quantization: configuration.quantization,
            canThink: configuration.canThink)
        info.vision = configuration.vision != nil
        info.embedding = configuration.purpose.embeds
        info.reranking = configuration.purpose.reranks
        return info
    }

    public func load(_ descriptor: ModelDescriptor) async throws -> any Engine {
        let runtime = try checkRuntime()
        // The runtime opens the path blindly: a FIFO would block it, a directory or a device would confuse it.
        do {
            try ModelFile.checkReadable(descriptor.path)
        } catch {
            throw InferenceError.modelLoadFailed(model: descriptor.id, reason: "\(descriptor.fileName): \(error)")
        }
        if descriptor.sizeBytes == 0 {
            throw InferenceError.modelLoadFailed(
                model: descriptor.id, reason: "\(descriptor.fileName) is empty (0 bytes); download it again")
        }
        let sidecar = try RKLLMSidecar.load(forModelAt: descriptor.path)
        let configuration = RKLLMModelConfiguration(descriptor: descriptor, sidecar: sidecar, options: options)
        let adapters = try RKLLMLoraAdapter.all(forModelAt: descriptor.path, sidecar: sidecar)
        let thread = try ModelThread()
        let makeImageEncoder = self.makeImageEncoder
        let initStart = MonotonicClock.now()
        do {
            let (session, runtimeVersion) = try await thread.run { () throws -> (RKLLMSession, String) in
                let handle = try RKLLMHandle(runtime: runtime, configuration: configuration)
                for adapter in adapters { try handle.loadLora(adapter, model: configuration.name) }
                // The encoder loads on the model's thread too; a failure frees the handle with it.
                let vision = try configuration.vision.map { vision throws(InferenceError) in
                    try makeImageEncoder(vision, options.rknnLibraryPath, configuration.name)
                }
                let version =
                    RKLLMOutputTap.shared().runtimeVersion(since: initStart) ?? "RKLLM \(runtime.abi.rawValue)"
                let cacheFiles = try options.promptCacheDirectory.map { root throws(InferenceError) in
                    try RKLLMPromptCacheFiles(
                        directory: root + "/" + PathNames.component(for: descriptor.id) + "/prefixes",
                        capacityBytes: UInt64(max(0, options.promptCacheDiskMiB)) << 20)
                }
                // A prompt-cache file is valid only for the runtime and the model file that wrote it.
                let session = RKLLMSession(
                    handle: handle, configuration: configuration, promptCacheFiles: cacheFiles,
                    identity: "\(version) \(descriptor.fileName) \(descriptor.sizeBytes)", vision: vision)
                return (session, version)
            }
            RKLLMLog.runtimeStarted(version: runtimeVersion)
            var info = Self.info(of: configuration, descriptor: descriptor)
            info.runtimeVersion = runtimeVersion
            info.loraAdapters = adapters.map(\.name)
            return RKLLMEngine(
                info: info, abi: runtime.abi, thread: thread, session: session, destroyTimeout: options.destroyTimeout)
        } catch {
            await thread.stop(timeout: 5)
            throw (error as? InferenceError)?.hidingPath(of: descriptor) ?? error
        }
    }
}
