/// Embeddings through the engine alone against `/v1/embeddings` through our server: the same model file, the
/// same inputs in the same batches, rounds taking turns.
public struct EmbeddingFigures: Codable, Sendable, Equatable {
    /// Inputs per request (one `Engine.embed` call, one HTTP request).
    public var batch: Int
    /// Measured rounds each way.
    public var rounds: Int
    /// Prompt tokens of one batch, as the engine counted them.
    public var promptTokens: Int
    /// Median inputs per second of the engine in the bench's process.
    public var engineInputsPerSecond: Double
    /// Median inputs per second over HTTP.
    public var httpInputsPerSecond: Double

    /// The HTTP rate over the engine's (the goal is at least 0.95).
    public var ratio: Double {
        engineInputsPerSecond > 0 ? httpInputsPerSecond / engineInputsPerSecond : 0
    }

    /// Figures from their parts.
    public init(
        batch: Int, rounds: Int, promptTokens: Int, engineInputsPerSecond: Double, httpInputsPerSecond: Double
    ) {
        self.batch = batch
        self.rounds = rounds
        self.promptTokens = promptTokens
        self.engineInputsPerSecond = engineInputsPerSecond
        self.httpInputsPerSecond = httpInputsPerSecond
    }
}

extension BenchMarkdownReport {
    /// The embeddings section's table.
    static func embeddings(_ figures: EmbeddingFigures) -> String {
        var out = "## Embeddings (the engine alone against POST /v1/embeddings, same model file and inputs)\n\n"
        out += "| batch | prompt tokens per batch | engine inputs/s | HTTP inputs/s | HTTP / engine | rounds |\n"
        out += "| --- | --- | --- | --- | --- | --- |\n"
        out += "| \(figures.batch) | \(figures.promptTokens) | \(Formatting.fixed(figures.engineInputsPerSecond, 2)) | "
        out += "\(Formatting.fixed(figures.httpInputsPerSecond, 2)) | \(Formatting.fixed(figures.ratio, 3)) | "
        out += "\(figures.rounds) |\n\n"
        return out
    }
}
