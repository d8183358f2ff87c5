import ArgumentParser

/// The process's entry point: a runner process (`rockchip-llama runner ...`, started by the server once per
/// loaded model) goes straight to its command, so that it never builds the whole command tree of `serve`,
/// `pull` and `bench`, whose code and metadata would otherwise stay resident in every runner.
@main
enum EntryPoint {
    static func main() async {
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.first == RunnerCommand.configuration.commandName {
            await RunnerCommand.main(Array(arguments.dropFirst()))
        } else {
            await RockchipLlama.main(Array(arguments))
        }
    }
}
