import InferenceCore
import InferenceTypes
public import Logging
import Runner

/// `rockchip-llama runner`: the child process that hosts one model for the server.
public enum RunnerEntry {
    /// Serves the server on descriptor 3 with the engines configured by `configuration` (read from the
    /// environment the server gave it); returns the exit status.
    public static func run(configuration: ServerConfiguration, parent: Int32, logger: Logger) async -> Int32 {
        var inProcess = configuration
        inProcess.isolation = .none
        let setup: EngineSetup
        do {
            setup = try EngineSetup(configuration: inProcess, logLevel: logger.logLevel)
        } catch {
            logger.critical("runner cannot start: \(error)")
            return 1
        }
        let host = RunnerHost(descriptor: 3, loaders: setup.managed, logger: logger)
        return await host.run(parent: parent)
    }
}
