import ArgumentParser
import Hummingbird
import Logging
import Server
import ServiceLifecycle
import UnixSignals

/// `rockchip-llama serve`: runs the server until SIGTERM or SIGINT.
///
/// On either signal the server stops accepting connections and lets running generations finish for up to
/// the drain timeout; then it stops them, unloads every model (ending their runner processes) and exits 0.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the models of the models directory over HTTP.")

    @OptionGroup var options: ServerOptions

    func run() async throws {
        let (configuration, level) = try await options.resolve()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "rockchip-llama")
        let app = try buildApplication(configuration: configuration, logger: logger)
        var group = ServiceGroupConfiguration(
            services: [.init(service: app)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = .milliseconds(Int64(configuration.drainTimeout * 1000))
        do {
            try await ServiceGroup(configuration: group).run()
        } catch is CancellationError {
            // The drain timeout ran out: the generations still running were stopped and the models unloaded.
        }
        logger.info("rockchip-llama stopped")
    }
}
