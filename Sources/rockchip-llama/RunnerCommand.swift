import ArgumentParser
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

    @Option(help: "The level the runner logs at.")
    var logLevel: String = "info"

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel.lowercased()) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "rockchip-llama.runner")
        logger[metadataKey: "runner.pid"] = "\(getpid())"
        let status = await RunnerEntry.run(parent: parent, logger: logger)
        throw ExitCode(status)
    }
}
