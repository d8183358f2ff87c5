import ArgumentParser
import Configuration
import Glibc
import Logging
import Server

/// `rockchip-llama runner`: started by the server, one per loaded model; not for people to run.
struct RunnerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runner",
        abstract: "Host one model for a rockchip-llama server (started by the server on its socket).",
        shouldDisplay: false)

    @Option(help: "The server's process id; the runner exits when the server does.")
    var parent: Int32

    func run() async throws {
        let environment = EnvironmentVariablesProvider().prefixKeys(with: ["rockchip", "llama"])
        let reader = ConfigReader(provider: environment)
        let level = Logger.Level(rawValue: reader.string(forKey: "logLevel", default: "info").lowercased()) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "rockchip-llama.runner")
        logger[metadataKey: "runner.pid"] = "\(getpid())"
        let configuration = try ServerConfiguration(reader: reader)
        let status = await RunnerEntry.run(configuration: configuration, parent: parent, logger: logger)
        throw ExitCode(status)
    }
}
