import EngineSupport
public import InferenceTypes

/// Loads models of one format into runner processes: each model gets a child `rockchip-llama runner` that
/// hosts the in-process engine for that format.
public struct RunnerLoader: EngineLoader {
    public let format: ModelFormat
    private let executable: String
    private let environment: [String: String]
    private let unloadTimeout: Double

    /// Creates a loader.
    /// - Parameters:
    ///   - executable: the `rockchip-llama` binary to start runners from.
    ///   - environment: the runners' environment (their engine settings travel in it).
    ///   - unloadTimeout: seconds a runner gets to free its model before it is killed.
    public init(format: ModelFormat, executable: String, environment: [String: String], unloadTimeout: Double) {
        self.format = format
        self.executable = executable
        self.environment = environment
        self.unloadTimeout = unloadTimeout
    }

    public func load(_ model: ModelDescriptor) async throws -> any Engine {
        let process = try RunnerProcess(executable: executable, environment: environment)
        do {
            let info = try await process.load(model)
            return RunnerEngine(info: info, process: process, unloadTimeout: unloadTimeout)
        } catch {
            await process.stop(timeout: 1)
            throw error
        }
    }
}
