public import Configuration
import FoundationEssentials
public import InferenceCore
public import InferenceTypes
import ModelDownload

/// Everything `serve` is configured with. Each field comes from a flag, the environment
/// (`ROCKCHIP_LLAMA_<NAME>`), a JSON config file or the default, in that order of precedence.
public struct ServerConfiguration: Sendable {
    /// The address to listen on.
    public var host: String
    /// The port to listen on; 0 picks a free one.
    public var port: Int
    /// The directory model files are served from.
    public var modelsDirectory: String
    /// A model to load at start-up, by name.
    public var startupModel: String?
    /// The path of libllama.so; `nil` searches the default places.
    public var llamaLibraryPath: String?
    /// The context length of llama.cpp models; 0 uses each model's trained length.
    public var contextLength: Int
    /// CPU threads per llama.cpp model; 0 uses `CPUTopology`'s default (the big cores, else one fewer than the cores).
    public var threads: Int
    /// Sequences (slots) one model runs at once; 0 chooses: 4 for a `.gguf` model, fewer when their KV caches
    /// do not fit the memory budget, and an `.rkllm` model's sidecar `n_batch` (else 1).
    public var parallel: Int
    /// The host-memory prompt cache of each llama.cpp model, in MiB; 0 turns it off.
    public var cacheRAMMiB: Int
    /// Disk for each RKLLM model's automatic prompt-cache files (one per system prompt), in MiB; 0 turns them off.
    public var cacheDiskMiB: Int
    /// Tokens computed at once during prompt processing (llama.cpp's `n_ubatch`); it sizes the compute buffer.
    public var microBatchSize: Int
    /// The largest request body accepted, in bytes.
    public var maxBodyBytes: Int
    /// The path of librkllmrt.so; `nil` searches the default places.
    public var rkllmLibraryPath: String?
    /// The path of librknnrt.so, which runs vision encoders; `nil` searches the default places.
    public var rknnLibraryPath: String?
    /// The RKLLM runtime layout (`1.2` or `1.3`); `nil` detects it.
    public var rkllmABI: String?
    /// How long a model stays loaded after its last use, unless a request says otherwise.
    public var keepAlive: KeepAlive
    /// Requests that may wait for a busy model; more are answered 503 with `Retry-After`.
    public var maxQueue: Int
    /// Where loaded models live.
    public var isolation: Isolation
    /// The binary runner processes start from; `nil` is this executable.
    public var runnerExecutable: String?
    /// Seconds a model gets to free itself on unload before its runner is killed.
    public var unloadTimeout: Double
    /// Models that may be loaded at once; the least recently used idle one makes room for another.
    public var maxLoadedModels: Int
    /// Memory the loaded models may take together, in bytes; 0 uses most of the memory available at start.
    public var memoryBudgetBytes: UInt64
    /// Seconds running generations get to finish after SIGTERM before they are stopped.
    public var drainTimeout: Double
    /// Seconds a generation may wait for its first token with a short prompt and nothing queued ahead (more
    /// for longer prompts and queues), and at least as long between tokens; 0 turns the limit off.
    public var generationTimeout: Double
    /// The key of a model's reasoning in `/v1` answers: `reasoning_content` or `reasoning`.
    public var reasoningField: String
    /// API keys, and the browser origins and host names answered.
    public var access: AccessConfiguration
    /// The timeouts of HTTP connections and how many may be open at once.
    public var connectionLimits = ConnectionLimits()
    /// Hosts, `*.domains`, addresses and CIDR ranges pulls may reach besides Hugging Face and the reference's own
    /// host; only these may be loopback, private or link-local (see `PullPolicy`).
    public var allowPullFrom: [String]
    /// The largest file a pull keeps, in bytes.
    public var maxPullBytes: Int64
    /// Whether images named by `http(s)` URL are fetched (`--allow-image-urls`); when not, they are a 400 and
    /// clients send images inline.
    public var allowImageURLs = false

    /// Where loaded models live.
    public enum Isolation: String, Sendable {
        /// Each in its own `rockchip-llama runner` child process: a crashing runtime takes down that model only.
        case process
        /// Inside the server process.
        case none
    }

    /// The default models directory: `~/.rockchip-llama/models`.
    public static var defaultModelsDirectory: String {
        PathNames.expandingTilde("~/.rockchip-llama/models")
    }

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, modelsDirectory: String = Self.defaultModelsDirectory,
        startupModel: String? = nil, llamaLibraryPath: String? = nil, contextLength: Int = 4096, threads: Int = 0,
        microBatchSize: Int = 128, parallel: Int = 0, cacheRAMMiB: Int = 512, cacheDiskMiB: Int = 1024,
        maxBodyBytes: Int = 8 << 20,
        rkllmLibraryPath: String? = nil, rknnLibraryPath: String? = nil,
        rkllmABI: String? = nil, keepAlive: KeepAlive = .defaultValue, maxQueue: Int = 16,
        isolation: Isolation = .process, runnerExecutable: String? = nil, unloadTimeout: Double = 10,
        maxLoadedModels: Int = 3, memoryBudgetBytes: UInt64 = 0, drainTimeout: Double = 30,
        generationTimeout: Double = 120,
        reasoningField: String = "reasoning_content", allowPullFrom: [String] = [],
        maxPullBytes: Int64 = 64 << 30,  // PullPolicy.defaultMaxBytes
        access: AccessConfiguration = AccessConfiguration()
    ) {
        self.host = host
        self.port = port
        self.modelsDirectory = modelsDirectory
        self.startupModel = startupModel
        self.llamaLibraryPath = llamaLibraryPath
        self.contextLength = contextLength
        self.threads = threads
        self.microBatchSize = microBatchSize
        self.parallel = max(0, parallel)
        self.cacheRAMMiB = max(0, cacheRAMMiB)
        self.cacheDiskMiB = max(0, cacheDiskMiB)
        self.maxBodyBytes = maxBodyBytes
        self.rkllmLibraryPath = rkllmLibraryPath
        self.rknnLibraryPath = rknnLibraryPath
        self.rkllmABI = rkllmABI
        self.keepAlive = keepAlive
        self.maxQueue = maxQueue
        self.isolation = isolation
        self.runnerExecutable = runnerExecutable
        self.unloadTimeout = unloadTimeout
        self.maxLoadedModels = maxLoadedModels
        self.memoryBudgetBytes = memoryBudgetBytes
        self.drainTimeout = drainTimeout
        self.generationTimeout = generationTimeout
        self.reasoningField = reasoningField
        self.access = access
        self.allowPullFrom = allowPullFrom
        self.maxPullBytes = maxPullBytes
    }

    /// Reads the configuration; keys are `host`, `port`, `modelsDir`, `model`, `llamaLib`, `contextLength`,
    /// `threads`, `ubatchSize`, `parallel`, `cacheRam` (MiB), `cacheDisk` (MiB), `maxBodyBytes`, `rkllmLib`, `rknnLib`, `rkllmAbi`, `keepAlive`, `maxQueue`, `isolation`,
    /// `runner`, `unloadTimeout`, `maxLoadedModels`, `memoryBudgetMb`, `drainTimeout`, `generationTimeout`,
    /// `reasoningField`, `allowPullFrom` (a list; each entry may hold several, comma-separated),
    /// `maxPullBytes` and `allowImageUrls`, and those of `AccessConfiguration` and `ConnectionLimits`. An unknown isolation or
    /// reasoning field, or an allowed source that is not a host, address or range, is refused.
    public init(reader: ConfigReader) throws(InferenceError) {
        let defaults = ServerConfiguration()
        self.init(
            host: reader.string(forKey: "host", default: defaults.host),
            port: reader.int(forKey: "port", default: defaults.port),
            modelsDirectory: reader.string(forKey: "modelsDir", default: defaults.modelsDirectory),
            startupModel: reader.string(forKey: "model").flatMap { $0.isEmpty ? nil : $0 },
            llamaLibraryPath: reader.string(forKey: "llamaLib").flatMap { $0.isEmpty ? nil : $0 },
            contextLength: reader.int(forKey: "contextLength", default: defaults.contextLength),
            threads: reader.int(forKey: "threads", default: defaults.threads),
            microBatchSize: reader.int(forKey: "ubatchSize", default: defaults.microBatchSize),
            parallel: reader.int(forKey: "parallel", default: defaults.parallel),
            cacheRAMMiB: reader.int(forKey: "cacheRam", default: defaults.cacheRAMMiB),
            cacheDiskMiB: reader.int(forKey: "cacheDisk", default: defaults.cacheDiskMiB),
            maxBodyBytes: reader.int(forKey: "maxBodyBytes", default: defaults.maxBodyBytes),
            rkllmLibraryPath: reader.string(forKey: "rkllmLib").flatMap { $0.isEmpty ? nil : $0 },
            rknnLibraryPath: reader.string(forKey: "rknnLib").flatMap { $0.isEmpty ? nil : $0 },
            rkllmABI: reader.string(forKey: "rkllmAbi").flatMap { $0.isEmpty || $0 == "auto" ? nil : $0 },
            keepAlive: reader.string(forKey: "keepAlive").flatMap {
                KeepAlive(duration: $0) ?? Double($0).map(KeepAlive.init(seconds:))
            }
                ?? defaults.keepAlive,
            maxQueue: reader.int(forKey: "maxQueue", default: defaults.maxQueue),
            runnerExecutable: reader.string(forKey: "runner").flatMap { $0.isEmpty ? nil : $0 },
            unloadTimeout: reader.double(forKey: "unloadTimeout", default: defaults.unloadTimeout),
            maxLoadedModels: max(1, reader.int(forKey: "maxLoadedModels", default: defaults.maxLoadedModels)),
            memoryBudgetBytes: UInt64(max(0, reader.int(forKey: "memoryBudgetMb", default: 0))) << 20,
            drainTimeout: reader.double(forKey: "drainTimeout", default: defaults.drainTimeout),
            generationTimeout: reader.double(forKey: "generationTimeout", default: defaults.generationTimeout),
            access: try AccessConfiguration(reader: reader)
        )
        let isolationName = reader.string(forKey: "isolation", default: defaults.isolation.rawValue)
        guard let isolation = Isolation(rawValue: isolationName.lowercased()) else {
            throw .invalidRequest("unknown isolation '\(isolationName)': use process or none")
        }
        self.isolation = isolation
        let field = reader.string(forKey: "reasoningField", default: defaults.reasoningField)
        guard ["reasoning_content", "reasoning"].contains(field) else {
            throw .invalidRequest("unknown reasoning field '\(field)': use reasoning_content or reasoning")
        }
        reasoningField = field
        connectionLimits = ConnectionLimits(reader: reader)
        allowPullFrom = reader.stringArray(forKey: "allowPullFrom", default: []).flatMap { $0.split(separator: ",") }
            .map(String.init).filter { !$0.allSatisfy(\.isWhitespace) }
        do {
            _ = try PullPolicy(allowing: allowPullFrom)
        } catch {
            throw .invalidRequest(error.description)
        }
        allowImageURLs = reader.bool(forKey: "allowImageUrls", default: false)
        maxPullBytes = Int64(reader.int(forKey: "maxPullBytes", default: Int(defaults.maxPullBytes)))
        guard maxPullBytes > 0 else { throw .invalidRequest("maxPullBytes must be above 0") }
    }
}

extension ServerConfiguration {
    /// The time limits of generations, `nil` when turned off.
    var timeLimits: GenerationTimeLimits? {
        guard generationTimeout > 0 else { return nil }
        return GenerationTimeLimits(base: generationTimeout, betweenEvents: max(generationTimeout, 60))
    }
}
