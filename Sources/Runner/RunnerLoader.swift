import EngineSupport
public import InferenceTypes
public import NIOCore
import NIOPosix

/// Loads models of one format into runner processes: each model gets a child `rockchip-llama runner` that
/// hosts the in-process engine for that format.
public struct RunnerLoader: EngineLoader {
    public let format: ModelFormat
    private let executable: String
    private let arguments: [String]
    private let environment: [String: String]
    private let options: RunnerEngineOptions
    private let unloadTimeout: Double
    private let group: any EventLoopGroup

    /// Creates a loader.
    /// - Parameters:
    ///   - executable: the `rockchip-llama` binary to start runners from.
    ///   - arguments: the arguments after `runner` (the parent's pid, the log level).
    ///   - environment: the runners' environment.
    ///   - options: the engine settings each runner loads its model with (sent in the `load` command).
    ///   - unloadTimeout: seconds a runner gets to free its model before it is killed.
    ///   - group: the event loops the runners' sockets are served on; `nil` takes NIO's shared ones.
    public init(
        format: ModelFormat, executable: String, arguments: [String], environment: [String: String],
        options: RunnerEngineOptions, unloadTimeout: Double, group: (any EventLoopGroup)? = nil
    ) {
        self.format = format
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.options = options
        self.unloadTimeout = unloadTimeout
        self.group = group ?? MultiThreadedEventLoopGroup.singleton
    }

    public func load(_ model: ModelDescriptor) async throws -> any Engine {
        let process = try await RunnerProcess.spawn(
            executable: executable, arguments: arguments, environment: environment, group: group)
        do {
            let loaded = try await process.load(model, options: options)
            return RunnerEngine(
                info: loaded.info, slots: loaded.slots, process: process, unloadTimeout: unloadTimeout)
        } catch {
            await process.stop(timeout: 1)
            throw Self.loadFailure(error, loading: model, format: format)
        }
    }
}
