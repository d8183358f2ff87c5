/// The engine settings a runner loads its model with; they travel in the `load` command, resolved by the
/// server from its flags, environment and configuration file.
public struct RunnerEngineOptions: Sendable, Hashable, Codable {
    /// The llama.cpp library to load; `nil` looks in the usual places.
    public var llamaLibraryPath: String?
    /// The RKLLM runtime library to load; `nil` looks in the usual places.
    public var rkllmLibraryPath: String?
    /// The RKNN runtime library that runs vision encoders; `nil` looks in the usual places.
    public var rknnLibraryPath: String?
    /// The RKLLM runtime's ABI (`1.2`, `1.3`, `auto`); `nil` detects it.
    public var rkllmABI: String?
    /// The context length llama.cpp models run with.
    public var contextLength: Int
    /// CPU threads per llama.cpp model; 0 uses `CPUTopology`'s default (the big cores, else one fewer than the cores).
    public var threads: Int
    /// llama.cpp's micro-batch size.
    public var microBatchSize: Int
    /// Sequences one model runs at once (slots); 0 lets the engine choose (an RKLLM model's sidecar `n_batch`).
    public var parallel: Int
    /// The host-memory prompt cache of a llama.cpp model, in MiB; 0 turns it off.
    public var cacheRAMMiB: Int
    /// Where an RKLLM model keeps the prompt-cache files of its prompts' prefixes (a folder per model inside);
    /// `nil` turns them off.
    public var promptCacheDirectory: String?
    /// The most disk those files take per model, in MiB.
    public var cacheDiskMiB: Int
    /// The context a request asked this load for (`num_ctx`), already within the memory budget: it widens
    /// `contextLength` for a llama.cpp model and the file's default for an RKLLM model, up to the trained
    /// length; `nil` for none.
    public var requestedContextLength: Int?

    /// Creates engine options.
    public init(
        llamaLibraryPath: String?, rkllmLibraryPath: String?, rkllmABI: String?, contextLength: Int, threads: Int,
        microBatchSize: Int, parallel: Int = 1, cacheRAMMiB: Int = 512, promptCacheDirectory: String? = nil,
        cacheDiskMiB: Int = 1024, rknnLibraryPath: String? = nil
    ) {
        self.rknnLibraryPath = rknnLibraryPath
        self.llamaLibraryPath = llamaLibraryPath
        self.rkllmLibraryPath = rkllmLibraryPath
        self.rkllmABI = rkllmABI
        self.contextLength = contextLength
        self.threads = threads
        self.microBatchSize = microBatchSize
        self.parallel = parallel
        self.cacheRAMMiB = cacheRAMMiB
        self.promptCacheDirectory = promptCacheDirectory
        self.cacheDiskMiB = cacheDiskMiB
    }
}
