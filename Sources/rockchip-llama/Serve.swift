import ArgumentParser
import Hummingbird
import Logging
import Server

/// `rockchip-llama serve`: runs the server until SIGTERM or SIGINT.
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
        try await app.runService()
    }
}
