import EngineSupport
public import InferenceTypes

/// A model that lives in a runner process: the same engine contract, carried over the runner's socket.
public final class RunnerEngine: Engine {
    public let info: ModelInfo
    /// The generations the engine in the runner runs at once, as it reported when it loaded.
    public let slots: Int
    private let process: RunnerProcess
    private let unloadTimeout: Double

    init(info: ModelInfo, slots: Int, process: RunnerProcess, unloadTimeout: Double) {
        self.info = info
        self.slots = max(1, slots)
        self.process = process
        self.unloadTimeout = unloadTimeout
    }

    public func generate(_ request: EngineRequest, stop: CancellationFlag)
        -> AsyncThrowingStream<EngineEvent, any Error>
    {
        process.generate(request, stop: stop)
    }

    public func embed(_ inputs: [String], truncate: Bool) async throws -> EmbeddingResult {
        try await process.embed(inputs, truncate: truncate)
    }

    public func rerank(query: String, documents: [String]) async throws -> RerankResult {
        try await process.rerank(query: query, documents: documents)
    }

    public func tokenize(_ text: String, addSpecial: Bool, parseSpecial: Bool) async throws -> [Int] {
        try await process.tokenize(text, addSpecial: addSpecial, parseSpecial: parseSpecial)
    }

    public func detokenize(_ tokens: [Int]) async throws -> String {
        try await process.detokenize(tokens)
    }

    public func savePromptCache(of input: GenerationInput, to path: String) async throws -> SavedPromptCache {
        try await process.savePromptCache(of: input, to: path)
    }

    /// Asks the runner to free the model, and kills it if it has not exited within the unload timeout, so
    /// the memory (and the NPU's) is always returned.
    public func unload() async {
        await process.stop(timeout: unloadTimeout)
    }

    public var isAlive: Bool { process.isAlive }

    public var processID: Int32? { process.pid }
}
