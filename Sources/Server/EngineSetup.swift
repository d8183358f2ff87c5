import FoundationEssentials
import Glibc
import InferenceCore
import InferenceTypes
import LlamaEngine
import Logging
import RKLLMEngine
import Runner

/// The engines a configuration asks for: the in-process loaders, and the loaders the model manager uses,
/// which start runner processes unless isolation is off.
struct EngineSetup {
    let llama: LlamaEngineLoader
    let rkllm: RKLLMEngineLoader
    let managed: [any EngineLoader]

    /// - Parameters:
    ///   - logLevel: the level runner processes log at.
    ///   - memoryBudgetBytes: what the loaded models may take together; `--parallel 0` fits slots in it.
    init(configuration: ServerConfiguration, logLevel: Logger.Level, memoryBudgetBytes: UInt64) throws(InferenceError) {
        let options = Self.engineOptions(configuration)
        (llama, rkllm) = try Self.inProcessLoaders(options)
        // The slots of each model, chosen when it loads (`--parallel 0` looks at its size and KV cache).
        // A request's `num_ctx` widens the context of that load as far as the memory budget allows.
        let resolve: @Sendable (ModelDescriptor, Int?) -> RunnerEngineOptions = { descriptor, requested in
            var resolved = options
            resolved.parallel = ParallelChoice.slots(
                for: descriptor, parallel: options.parallel, contextLength: options.contextLength,
                memoryBudgetBytes: memoryBudgetBytes)
            resolved.requestedContextLength = requested.map { requested in
                ContextChoice.length(
                    for: descriptor, requested: requested, slots: resolved.parallel,
                    memoryBudgetBytes: memoryBudgetBytes)
            }
            return resolved
        }
        let previewers = (llama: llama, rkllm: rkllm)
        let preview: @Sendable (ModelDescriptor) -> ModelInfo? = { descriptor in
            descriptor.format == .gguf ? previewers.llama.preview(descriptor) : previewers.rkllm.preview(descriptor)
        }
        switch configuration.isolation {
        case .none:
            managed = [ModelFormat.gguf, .rkllm].map { format in
                PerModelLoader(format: format, previewing: preview) { descriptor, requested in
                    // Options are known good: the same ones made `llama` and `rkllm` above.
                    let loaders = try? Self.inProcessLoaders(resolve(descriptor, requested))
                    return format == .gguf
                        ? (loaders?.llama ?? Self.defaultLlama) : (loaders?.rkllm ?? Self.defaultRKLLM)
                }
            }
        case .process:
            let executable = configuration.runnerExecutable ?? Self.currentExecutable()
            // The runner inherits the server's environment (library search paths, the runtimes' own
            // variables), but not its settings: those it needs arrive with `load`.
            let environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ROCKCHIP_LLAMA_") }
            let arguments = ["--parent", "\(getpid())", "--log-level", logLevel.rawValue]
            let unloadTimeout = configuration.unloadTimeout
            managed = [ModelFormat.gguf, .rkllm].map { format in
                PerModelLoader(format: format, previewing: preview) { descriptor, requested in
                    RunnerLoader(
                        format: format, executable: executable, arguments: arguments, environment: environment,
                        options: resolve(descriptor, requested), unloadTimeout: unloadTimeout)
                }
            }
        }
    }

    /// The engine settings of `configuration`, as a runner receives them.
    static func engineOptions(_ configuration: ServerConfiguration) -> RunnerEngineOptions {
        RunnerEngineOptions(
            llamaLibraryPath: configuration.llamaLibraryPath, rkllmLibraryPath: configuration.rkllmLibraryPath,
            rkllmABI: configuration.rkllmABI, contextLength: configuration.contextLength,
            threads: configuration.threads, microBatchSize: configuration.microBatchSize,
            parallel: configuration.parallel, cacheRAMMiB: configuration.cacheRAMMiB,
            promptCacheDirectory: configuration.cacheDiskMiB > 0
                ? PromptCacheStore(modelsDirectory: configuration.modelsDirectory).root : nil,
            cacheDiskMiB: configuration.cacheDiskMiB, rknnLibraryPath: configuration.rknnLibraryPath)
    }

    /// The loaders that load models into this process, with `options`.
    static func inProcessLoaders(_ options: RunnerEngineOptions) throws(InferenceError)
        -> (llama: LlamaEngineLoader, rkllm: RKLLMEngineLoader)
    {
        var rkllmABI: RKLLMABI?
        if let name = options.rkllmABI {
            guard let abi = RKLLMABI(rawValue: name) else {
                throw .invalidRequest("unknown RKLLM runtime layout '\(name)': use 1.2, 1.3 or auto")
            }
            rkllmABI = abi
        }
        let rkllm = RKLLMEngineLoader(
            options: .init(
                libraryPath: options.rkllmLibraryPath, abi: rkllmABI, parallel: max(0, options.parallel),
                promptCacheDirectory: options.promptCacheDirectory, promptCacheDiskMiB: options.cacheDiskMiB,
                contextLength: options.requestedContextLength, rknnLibraryPath: options.rknnLibraryPath))
        // 0 (the trained length) is already the most a request could ask for.
        let llamaContext =
            options.contextLength > 0
            ? max(options.contextLength, options.requestedContextLength ?? 0) : options.contextLength
        let llama = LlamaEngineLoader(
            options: .init(
                libraryPath: options.llamaLibraryPath, contextLength: llamaContext,
                microBatchSize: options.microBatchSize, threads: options.threads,
                parallel: max(1, options.parallel), cacheRAMMiB: max(0, options.cacheRAMMiB)))
        return (llama, rkllm)
    }

    /// Loaders with default settings, for the case that cannot happen (options that made loaders once fail).
    private static let defaultLlama = LlamaEngineLoader(options: .init())
    private static let defaultRKLLM = RKLLMEngineLoader(options: .init())

    /// This process's executable.
    static func currentExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
