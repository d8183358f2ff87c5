import ArgumentParser
import Configuration
import InferenceCore
import InferenceTypes
import Logging
import Server

/// The options of `serve` (and of the server `bench` starts). Each flag can also come from the
/// environment or a JSON config file; a flag wins over the environment, which wins over the file.
struct ServerOptions: ParsableArguments {
    @Option(help: "Address to listen on. [env: ROCKCHIP_LLAMA_HOST] (default: 127.0.0.1)")
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free one. [env: ROCKCHIP_LLAMA_PORT] (default: 8080)")
    var port: Int?

    @Option(
        help: """
            Directory of model files (.gguf); each is served under a name derived from its file name. \
            [env: ROCKCHIP_LLAMA_MODELS_DIR] (default: ~/.rockchip-llama/models)
            """)
    var modelsDir: String?

    @Option(help: "Model to load at start-up, by name or file name. [env: ROCKCHIP_LLAMA_MODEL]")
    var model: String?

    @Option(
        help: """
            Path of llama.cpp's libllama.so. [env: ROCKCHIP_LLAMA_LLAMA_LIB] (default: searched beside the \
            binary, in /usr/local/lib and /usr/lib, and in the .venv of a source checkout)
            """)
    var llamaLib: String?

    @Option(
        help: """
            Path of Rockchip's RKLLM runtime, librkllmrt.so. [env: ROCKCHIP_LLAMA_RKLLM_LIB] (default: searched \
            beside the binary, in /usr/lib and /usr/local/lib)
            """)
    var rkllmLib: String?

    @Option(
        help: """
            Path of Rockchip's RKNN runtime, librknnrt.so, for the vision encoders (.rknn) of vision models. \
            [env: ROCKCHIP_LLAMA_RKNN_LIB] (default: searched beside the binary, in /usr/lib and /usr/local/lib, \
            and beside the RKLLM runtime)
            """)
    var rknnLib: String?

    @Option(
        help: """
            RKLLM runtime layout: 1.2 (runtimes 1.2.1-1.2.3), 1.3 (1.3.x) or auto (detect). \
            [env: ROCKCHIP_LLAMA_RKLLM_ABI] (default: auto)
            """)
    var rkllmAbi: String?

    @Option(
        help: """
            Context length of llama.cpp models; 0 = each model's trained length (RKLLM models use the length \
            in their file name or sidecar). [env: ROCKCHIP_LLAMA_CONTEXT_LENGTH] (default: 4096)
            """)
    var contextLength: Int?

    @Option(
        help: """
            CPU threads per llama.cpp model; 0 = the big cores of a big.LITTLE board (the RK3588's four), else one \
            fewer than the cores, so that a busy core elsewhere does not stall every token. \
            [env: ROCKCHIP_LLAMA_THREADS] (default: 0)
            """)
    var threads: Int?

    @Option(
        help: """
            Tokens computed at once during prompt processing (llama.cpp's n_ubatch); smaller uses less memory. \
            [env: ROCKCHIP_LLAMA_UBATCH_SIZE] (default: 128)
            """)
    var ubatchSize: Int?

    @Option(
        help: """
            Sequences (slots) one model runs at once, each with the full context length; 0 = auto: 4 for a \
            .gguf model (2 or 1 when their KV caches do not fit the memory budget), the sidecar's n_batch (else \
            1) for an .rkllm model. [env: ROCKCHIP_LLAMA_PARALLEL] (default: 0)
            """)
    var parallel: Int?

    @Option(
        help: """
            Host memory for each llama.cpp model's cache of recent prompts' KV state, in MiB; 0 = off. \
            [env: ROCKCHIP_LLAMA_CACHE_RAM] (default: 512)
            """)
    var cacheRam: Int?

    @Option(
        help: """
            Disk for each .rkllm model's prompt-cache files, one per system prompt seen (saved the first time, \
            loaded when it comes again, least recently used out first), in MiB; 0 = off. They live in the models \
            directory's cache folder. [env: ROCKCHIP_LLAMA_CACHE_DISK] (default: 1024)
            """)
    var cacheDisk: Int?

    @Option(
        help: """
            How long a model stays loaded after its last use: a duration (5m, 1h30m), seconds, or -1 for \
            ever. Requests may override it (Ollama's keep_alive). [env: ROCKCHIP_LLAMA_KEEP_ALIVE] (default: 5m)
            """)
    var keepAlive: String?

    @Option(
        help: """
            Requests that may wait for a busy model; more are answered 503 with Retry-After. \
            [env: ROCKCHIP_LLAMA_MAX_QUEUE] (default: 16)
            """)
    var maxQueue: Int?

    @Option(
        help: """
            Where loaded models live: process (each in its own runner process, so a crashing runtime takes down \
            only that model) or none (inside the server). [env: ROCKCHIP_LLAMA_ISOLATION] (default: process)
            """)
    var isolation: String?

    @Option(
        help: """
            Models loaded at once; the least recently used idle model is unloaded to make room. \
            [env: ROCKCHIP_LLAMA_MAX_LOADED_MODELS] (default: 3)
            """)
    var maxLoadedModels: Int?

    @Option(
        help: """
            Memory the loaded models may use together, in MiB; 0 = 80% of the memory available at start. \
            [env: ROCKCHIP_LLAMA_MEMORY_BUDGET_MB] (default: 0)
            """)
    var memoryBudgetMb: Int?

    @Option(
        help: """
            Seconds a model gets to free itself when unloaded before its runner is killed. \
            [env: ROCKCHIP_LLAMA_UNLOAD_TIMEOUT] (default: 10)
            """)
    var unloadTimeout: Double?

    @Option(
        help: """
            Seconds running generations get to finish after SIGTERM before they are stopped. \
            [env: ROCKCHIP_LLAMA_DRAIN_TIMEOUT] (default: 30)
            """)
    var drainTimeout: Double?

    @Option(
        help: """
            Seconds a generation may wait for its first token (a short prompt, nothing queued ahead; longer \
            prompts and queues get more) and between tokens; 0 = no limit. \
            [env: ROCKCHIP_LLAMA_GENERATION_TIMEOUT] (default: 120)
            """)
    var generationTimeout: Double?

    @Option(
        help: """
            The key of a model's reasoning in /v1 answers: reasoning_content (llama.cpp, vLLM) or reasoning \
            (Ollama's /v1, OpenRouter). [env: ROCKCHIP_LLAMA_REASONING_FIELD] (default: reasoning_content)
            """)
    var reasoningField: String?

    @Option(help: "Largest request body in bytes. [env: ROCKCHIP_LLAMA_MAX_BODY_BYTES] (default: 8388608)")
    var maxBodyBytes: Int?

    @Flag(
        help: """
            Fetch images that clients name by http(s) URL (at most 20 MiB each, 15 s); without it such images \
            are a 400 and clients send them inline. [env: ROCKCHIP_LLAMA_ALLOW_IMAGE_URLS]
            """)
    var allowImageUrls = false

    @Option(
        help: """
            An API key that requests must send, as 'Authorization: Bearer <key>' or 'x-api-key: <key>' \
            (repeatable; GET / and /health stay open). [env: ROCKCHIP_LLAMA_API_KEYS, comma-separated] \
            (default: none, no key needed)
            """)
    var apiKey: [String] = []

    @Option(
        help: """
            A file of API keys, one a line (blank lines and # comments skipped), added to --api-key. \
            [env: ROCKCHIP_LLAMA_API_KEY_FILE]
            """)
    var apiKeyFile: String?

    @Option(
        help: """
            A browser origin allowed to call the server besides local pages (repeatable; one '*' as a \
            wildcard, as in https://*.example; '*' allows all). [env: ROCKCHIP_LLAMA_ALLOWED_ORIGINS, \
            comma-separated]
            """)
    var allowedOrigin: [String] = []

    @Option(
        help: """
            A host name the server answers to besides localhost, its address and this machine's name \
            (repeatable; *.example for subdomains; '*' answers any). [env: ROCKCHIP_LLAMA_ALLOWED_HOSTS, \
            comma-separated]
            """)
    var allowedHost: [String] = []

    @Option(
        help: """
            Seconds for a request head to arrive, from its first byte (or from the connect); 0 = no limit. \
            [env: ROCKCHIP_LLAMA_HEADER_TIMEOUT] (default: 30)
            """)
    var headerTimeout: Double?

    @Option(
        help: """
            Seconds a request body may stall between bytes before a 408; 0 = no limit. \
            [env: ROCKCHIP_LLAMA_BODY_TIMEOUT] (default: 60)
            """)
    var bodyTimeout: Double?

    @Option(
        help: """
            Seconds a kept-alive connection may wait for its next request; a request being answered or streamed \
            is never cut. 0 = no limit. [env: ROCKCHIP_LLAMA_IDLE_TIMEOUT] (default: 120)
            """)
    var idleTimeout: Double?

    @Option(
        help: """
            Connections open at once; beyond it the longest-idle one is closed, or 503 answered when all are \
            busy. 0 = the descriptor limit less 64, at most 1024. [env: ROCKCHIP_LLAMA_MAX_CONNECTIONS] (default: 0)
            """)
    var maxConnections: Int?

    @OptionGroup var pull: PullOptions

    @Option(help: "JSON config file with any of the keys above in camelCase. [env: ROCKCHIP_LLAMA_CONFIG]")
    var config: String?

    @Option(
        help:
            "Log level: trace, debug, info, notice, warning, error, critical. [env: ROCKCHIP_LLAMA_LOG_LEVEL] (default: info)"
    )
    var logLevel: String?

    /// The flags given, as configuration values under the keys `ServerConfiguration` reads.
    private var flagValues: [AbsoluteConfigKey: ConfigValue] {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        if let host { values["host"] = .init(.string(host), isSecret: false) }
        if let port { values["port"] = .init(.int(port), isSecret: false) }
        if let modelsDir { values["modelsDir"] = .init(.string(modelsDir), isSecret: false) }
        if let model { values["model"] = .init(.string(model), isSecret: false) }
        if let llamaLib { values["llamaLib"] = .init(.string(llamaLib), isSecret: false) }
        if let contextLength { values["contextLength"] = .init(.int(contextLength), isSecret: false) }
        if let threads { values["threads"] = .init(.int(threads), isSecret: false) }
        if let rkllmLib { values["rkllmLib"] = .init(.string(rkllmLib), isSecret: false) }
        if let rknnLib { values["rknnLib"] = .init(.string(rknnLib), isSecret: false) }
        if let rkllmAbi { values["rkllmAbi"] = .init(.string(rkllmAbi), isSecret: false) }
        if let maxQueue { values["maxQueue"] = .init(.int(maxQueue), isSecret: false) }
        if let keepAlive { values["keepAlive"] = .init(.string(keepAlive), isSecret: false) }
        if let ubatchSize { values["ubatchSize"] = .init(.int(ubatchSize), isSecret: false) }
        if let parallel { values["parallel"] = .init(.int(parallel), isSecret: false) }
        if let cacheRam { values["cacheRam"] = .init(.int(cacheRam), isSecret: false) }
        if let cacheDisk { values["cacheDisk"] = .init(.int(cacheDisk), isSecret: false) }
        if let maxBodyBytes { values["maxBodyBytes"] = .init(.int(maxBodyBytes), isSecret: false) }
        if allowImageUrls { values["allowImageUrls"] = .init(.bool(true), isSecret: false) }
        if let logLevel { values["logLevel"] = .init(.string(logLevel), isSecret: false) }
        if let isolation { values["isolation"] = .init(.string(isolation), isSecret: false) }
        if let maxLoadedModels { values["maxLoadedModels"] = .init(.int(maxLoadedModels), isSecret: false) }
        if let memoryBudgetMb { values["memoryBudgetMb"] = .init(.int(memoryBudgetMb), isSecret: false) }
        if let unloadTimeout { values["unloadTimeout"] = .init(.double(unloadTimeout), isSecret: false) }
        if let drainTimeout { values["drainTimeout"] = .init(.double(drainTimeout), isSecret: false) }
        if let generationTimeout {
            values["generationTimeout"] = .init(.double(generationTimeout), isSecret: false)
        }
        if let reasoningField { values["reasoningField"] = .init(.string(reasoningField), isSecret: false) }
        if !apiKey.isEmpty { values["apiKeys"] = .init(.stringArray(apiKey), isSecret: true) }
        if let apiKeyFile { values["apiKeyFile"] = .init(.string(apiKeyFile), isSecret: false) }
        if !allowedOrigin.isEmpty { values["allowedOrigins"] = .init(.stringArray(allowedOrigin), isSecret: false) }
        if !allowedHost.isEmpty { values["allowedHosts"] = .init(.stringArray(allowedHost), isSecret: false) }
        if let headerTimeout { values["headerTimeout"] = .init(.double(headerTimeout), isSecret: false) }
        if let bodyTimeout { values["bodyTimeout"] = .init(.double(bodyTimeout), isSecret: false) }
        if let idleTimeout { values["idleTimeout"] = .init(.double(idleTimeout), isSecret: false) }
        if let maxConnections { values["maxConnections"] = .init(.int(maxConnections), isSecret: false) }
        values.merge(pull.flagValues) { $1 }
        return values
    }

    /// Flags, then `ROCKCHIP_LLAMA_*` variables, then the config file.
    func reader() async throws -> ConfigReader {
        let environment = EnvironmentVariablesProvider().prefixKeys(with: ["rockchip", "llama"])
        var providers: [any ConfigProvider] = [InMemoryProvider(name: "flags", values: flagValues), environment]
        let environmentReader = ConfigReader(provider: environment)
        if let path = config ?? environmentReader.string(forKey: "config") {
            do {
                providers.append(try JSONConfigFile.provider(path: path))
            } catch {
                throw ValidationError("cannot read the config file \(path): \(error)")
            }
        }
        return ConfigReader(providers: providers)
    }

    /// The server configuration and log level.
    func resolve() async throws -> (ServerConfiguration, Logger.Level) {
        let reader = try await reader()
        let levelName = reader.string(forKey: "logLevel", default: "info")
        guard let level = Logger.Level(rawValue: levelName.lowercased()) else {
            throw ValidationError("unknown log level '\(levelName)'")
        }
        do {
            return (try ServerConfiguration(reader: reader), level)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
