import EngineSupport
public import InferenceTypes

/// Runs one GGUF model on the CPU through llama.cpp.
///
/// Every call into the C handles happens on the engine's own `ModelThread`, so generations run one at a
/// time in arrival order and never block Swift's cooperative pool. Embeddings take their turn on the same
/// thread, in a second context of their own.
public final class LlamaEngine: Engine {
    public let info: ModelInfo
    private let thread: ModelThread
    private let session: LlamaSession

    init(info: ModelInfo, thread: ModelThread, session: LlamaSession) {
        self.info = info
        self.thread = thread
        self.session = session
    }

    public func generate(_ request: EngineRequest, stop cancellation: CancellationFlag)
        -> AsyncThrowingStream<EngineEvent, any Error>
    {
        let (events, continuation) = AsyncThrowingStream.makeStream(of: EngineEvent.self)
        continuation.onTermination = { termination in
            if case .cancelled = termination { cancellation.cancel() }
        }
        // The decode loop and llama.cpp's abort callback see the flag; the stream ends at once, not at the next token.
        cancellation.onCancel { continuation.finish(throwing: InferenceError.cancelled) }
        let submitted = MonotonicClock.now()
        let session = self.session
        thread.submit {
            session.run(
                request, cancellation: cancellation, queueNanos: MonotonicClock.since(submitted),
                continuation: continuation)
        }
        return events
    }

    public func embed(_ inputs: [String], truncate: Bool) async throws -> EmbeddingResult {
        let submitted = MonotonicClock.now()
        let session = self.session
        let (vectors, tokens) = try await thread.run { try session.embed(inputs, truncate: truncate) }
        return EmbeddingResult(vectors: vectors, promptTokens: tokens, totalNanos: MonotonicClock.since(submitted))
    }

    public func tokenize(_ text: String, addSpecial: Bool, parseSpecial: Bool) async throws -> [Int] {
        let session = self.session
        return try await thread.run {
            try session.model().tokenize(text, addSpecial: addSpecial, parseSpecial: parseSpecial).map(Int.init)
        }
    }

    public func detokenize(_ tokens: [Int]) async throws -> String {
        let session = self.session
        return try await thread.run { try session.model().detokenize(tokens) }
    }

    public func unload() async {
        let session = self.session
        thread.submit { session.close() }
        await thread.stop(timeout: 30)
    }
}
