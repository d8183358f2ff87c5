import ArgumentParser

/// The `rockchip-llama` command: an OpenAI- and Ollama-compatible LLM server for Rockchip NPUs and CPUs.
struct RockchipLlama: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rockchip-llama",
        abstract: "An OpenAI-compatible LLM server for Rockchip NPUs (RKLLM) and any CPU (llama.cpp).",
        subcommands: [Serve.self, Pull.self, Bench.self, RunnerCommand.self],
        defaultSubcommand: Serve.self
    )
}
