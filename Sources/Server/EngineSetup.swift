import FoundationEssentials
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
        var rkllmABI: RKLLMABI?
        if let name = configuration.rkllmABI {
            guard let abi = RKLLMABI(rawValue: name) else {
                throw .invalidRequest("unknown RKLLM runtime layout '\(name)': use 1.2, 1.3 or auto")
            }
            rkllmABI = abi
        }
        rkllm = RKLLMEngineLoader(options: .init(libraryPath: configuration.rkllmLibraryPath, abi: rkllmABI))
        llama = LlamaEngineLoader(
            options: .init(
                libraryPath: configuration.llamaLibraryPath, contextLength: configuration.contextLength,
                microBatchSize: configuration.microBatchSize, threads: configuration.threads))
        switch configuration.isolation {
        case .none:
            managed = [llama, rkllm]
        case .process:
            let executable = configuration.runnerExecutable ?? Self.currentExecutable()
            let environment = Self.runnerEnvironment(configuration, logLevel: logLevel)
            managed = [ModelFormat.gguf, .rkllm].map {
                RunnerLoader(
                    format: $0, executable: executable, environment: environment,
                    unloadTimeout: configuration.unloadTimeout)
            }
        }
    }

    /// This process's executable.
    static func currentExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// The server's environment with the engine settings it resolved (from flags, environment or file) in
    /// the variables a runner reads, so that a runner loads and logs exactly as the server would.
    static func runnerEnvironment(_ configuration: ServerConfiguration, logLevel: Logger.Level) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ROCKCHIP_LLAMA_") }
        let settings: [String: String?] = [
            "LOG_LEVEL": logLevel.rawValue,
            "LLAMA_LIB": configuration.llamaLibraryPath,
            "RKLLM_LIB": configuration.rkllmLibraryPath,
            "RKLLM_ABI": configuration.rkllmABI,
            "CONTEXT_LENGTH": "\(configuration.contextLength)",
            "THREADS": "\(configuration.threads)",
            "UBATCH_SIZE": "\(configuration.microBatchSize)",
        ]
        for case (let key, let value?) in settings { environment["ROCKCHIP_LLAMA_" + key] = value }
        return environment
    }
}
