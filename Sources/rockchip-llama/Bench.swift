import ArgumentParser

/// `rockchip-llama bench`: measures the engine alone and the server over HTTP.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Benchmark a model: engine alone and over HTTP.")

    func run() async throws {
        throw ValidationError("bench is not ready yet")
    }
}
