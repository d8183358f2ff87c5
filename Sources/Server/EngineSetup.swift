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

    /// - Parameter logLevel: the level runner processes log at.
    init(configuration: ServerConfiguration, logLevel: Logger.Level) throws(InferenceError) {
        let options = Self.engineOptions(configuration)
        (llama, rkllm) = try Self.inProcessLoaders(options)
        switch configuration.isolation {
        case .none:
            managed = [llama, rkllm]
        case .process:
            let executable = configuration.runnerExecutable ?? Self.currentExecutable()
            // The runner inherits the server's environment (library search paths, the runtimes' own
            // variables), but not its settings: those it needs arrive with `load`.
            let environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ROCKCHIP_LLAMA_") }
            let arguments = ["--parent", "\(getpid())", "--log-level", logLevel.rawValue]
            managed = [ModelFormat.gguf, .rkllm].map {
                RunnerLoader(
                    format: $0, executable: executable, arguments: arguments, environment: environment,
                    options: options, unloadTimeout: configuration.unloadTimeout)
            }
        }
    }

    /// The engine settings of `configuration`, as a runner receives them.
    static func engineOptions(_ configuration: ServerConfiguration) -> RunnerEngineOptions {
        RunnerEngineOptions(
            llamaLibraryPath: configuration.llamaLibraryPath, rkllmLibraryPath: configuration.rkllmLibraryPath,
            rkllmABI: configuration.rkllmABI, contextLength: configuration.contextLength,
            threads: configuration.threads, microBatchSize: configuration.microBatchSize)
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
        let rkllm = RKLLMEngineLoader(options: .init(libraryPath: options.rkllmLibraryPath, abi: rkllmABI))
        let llama = LlamaEngineLoader(
            options: .init(
                libraryPath: options.llamaLibraryPath, contextLength: options.contextLength,
                microBatchSize: options.microBatchSize, threads: options.threads))
        return (llama, rkllm)
    }

    /// This process's executable.
    static func currentExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
