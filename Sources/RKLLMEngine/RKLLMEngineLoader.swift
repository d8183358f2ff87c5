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

        /// Creates options.
        public init(
            libraryPath: String? = nil, abi: RKLLMABI? = nil, cpuMask: UInt32? = nil, destroyTimeout: Double = 10,
            parallel: Int = 0, promptCacheDirectory: String? = nil, promptCacheDiskMiB: Int = 1024,
            contextLength: Int? = nil
        ) {
            self.contextLength = contextLength
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
        return try await RKLLMEngineLoader(options: options).load(descriptor)
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
        return Self.info(
            of: RKLLMModelConfiguration(descriptor: descriptor, sidecar: sidecar, options: options),
            descriptor: descriptor)
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
        let configuration = RKLLMModelConfiguration(
            descriptor: descriptor, sidecar: try RKLLMSidecar.load(forModelAt: descriptor.path), options: options)
        let thread = try ModelThread()
        let initStart = MonotonicClock.now()
        do {
            let (session, runtimeVersion) = try await thread.run { () throws -> (RKLLMSession, String) in
                let handle = try RKLLMHandle(runtime: runtime, configuration: configuration)
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
                    identity: "\(version) \(descriptor.fileName) \(descriptor.sizeBytes)")
                return (session, version)
            }
            var info = Self.info(of: configuration, descriptor: descriptor)
            info.runtimeVersion = runtimeVersion
            return RKLLMEngine(
                info: info, abi: runtime.abi, thread: thread, session: session, destroyTimeout: options.destroyTimeout)
        } catch {
            await thread.stop(timeout: 5)
            throw (error as? InferenceError)?.hidingPath(of: descriptor) ?? error
        }
    }
}
