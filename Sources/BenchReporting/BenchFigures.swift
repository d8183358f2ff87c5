/// Every figure of one bench run, as the reports render them. The figures are measured by the command; this
/// target only summarises and renders them.
public struct BenchFigures: Codable, Sendable, Equatable {
    /// How the run was made.
    public var setup: BenchSetup
    /// The prompt categories, per server.
    public var categories: [CategoryFigures] = []
    /// The concurrency sweep, one entry per level.
    public var sweep: [SweepPoint] = []
    /// The prompt-cache scenarios.
    public var cache: [CacheRow] = []
    /// Decode with a busy core, per server.
    public var sharing: [SharingFigures] = []
    /// A short request beside a long one, per server.
    public var runaway: [RunawayFigures] = []
    /// Our server's dialects against its own chat completions, the first row being chat's.
    public var dialects: [DialectFigures] = []
    /// The #534 EOS workaround on the simulator (`nil` when the section did not run).
    public var eos: EOSFigures?
    /// Embeddings through the engine against `/v1/embeddings`, when the section ran.
    public var embeddings: EmbeddingFigures?
    /// Image preprocessing, per file (the JPEG, then the PNG).
    public var images: [ImageFigures] = []
    /// The engine-against-server figures of the `basics` section, as the command prints them.
    public var basics: String?
    /// What a reader should know about the run (skipped rows, missing options).
    public var notes: [String] = []

    /// Figures of a run made with `setup`, the sections still empty.
    public init(setup: BenchSetup) {
        self.setup = setup
    }
}
