import InferenceCore
import InferenceTypes
public import Logging
import Runner

/// `rockchip-llama runner`: the child process that hosts one model for the server.
public enum RunnerEntry {
    /// Serves the server on descriptor 3 with the in-process engines, set up with the settings that arrive in
    /// the `load` command; returns the exit status.
    /// - Parameter parent: the server's pid; the kernel ends the runner when the server ends.
    public static func run(parent: Int32, logger: Logger) async -> Int32 {
        RunnerParent.dieWithParent(parent)
        let host = RunnerHost(descriptor: 3, logger: logger) { options in
            let loaders = try EngineSetup.inProcessLoaders(options)
            return [loaders.llama, loaders.rkllm]
        }
        return await host.run()
    }
}
