import EngineSupport
public import InferenceTypes

/// Runs one GGUF model on the CPU through llama.cpp.
///
/// Every call into the C handles happens on the engine's own `ModelThread`, so nothing blocks Swift's
/// cooperative pool. Up to `slots` generations run at once, batched into one decode per step; embeddings,
/// tokenizing and prompt-cache saves take their turn on the same thread between steps.
public final class LlamaEngine: Engine {
    public let info: ModelInfo
    /// How many generations run at once (`LlamaEngineLoader.Options.parallel`).
    public let slots: Int
    private let thread: ModelThread
    private let session: LlamaSession

    init(info: ModelInfo, slots: Int, thread: ModelThread, session: LlamaSession) {
        self.info = info
        self.slots = slots
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
        // The batch loop and llama.cpp's abort callback see the flag; the stream ends at once, not at the next token.
        cancellation.onCancel { continuation.finish(throwing: InferenceError.cancelled) }
        let submitted = MonotonicClock.now()
        let session = self.session
        thread.submit {
            session.enqueue(
                LlamaGeneration(
                    request: request, cancellation: cancellation, submitted: submitted,
                    output: .stream(continuation)))
        }
        return events
    }

    /// Evaluates `input` in a free slot and writes the slot's state to `path`; the slot keeps it cached.
    public func savePromptCache(of input: GenerationInput, to path: String) async throws -> SavedPromptCache {
        let submitted = MonotonicClock.now()
        let session = self.session
        return try await withCheckedThrowingContinuation { done in
            thread.submit {
                session.enqueue(
                    LlamaGeneration(
                        request: EngineRequest(input: input, maxTokens: 0), cancellation: CancellationFlag(),
                        submitted: submitted, output: .saveState(path: path, done: done)))
            }
        }
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
