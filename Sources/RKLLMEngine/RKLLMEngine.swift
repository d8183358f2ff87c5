import EngineSupport
public import InferenceTypes

/// Runs one `.rkllm` model on the NPU through Rockchip's RKLLM runtime.
///
/// `rkllm_run` blocks until its generation ends, so every call into the handle happens on the engine's own
/// `ModelThread`. Up to `slots` (`n_batch`) waiting generations run together in one `rkllm_run`; the rest wait
/// for the next one, in arrival order.
public final class RKLLMEngine: Engine {
    public let info: ModelInfo
    /// The runtime layout the model is driven through.
    public let abi: RKLLMABI
    let thread: ModelThread
    let session: RKLLMSession
    private let destroyTimeout: Double

    init(info: ModelInfo, abi: RKLLMABI, thread: ModelThread, session: RKLLMSession, destroyTimeout: Double) {
        self.info = info
        self.abi = abi
        self.thread = thread
        self.session = session
        self.destroyTimeout = destroyTimeout
    }

    public func generate(_ request: EngineRequest, stop cancellation: CancellationFlag)
        -> AsyncThrowingStream<EngineEvent, any Error>
    {
        let (events, continuation) = AsyncThrowingStream.makeStream(of: EngineEvent.self)
        let session = self.session
        if let refusal = Self.generationRefusal(session.configuration) {
            continuation.finish(throwing: refusal)
            return events
        }
        continuation.onTermination = { termination in
            if case .cancelled = termination { cancellation.cancel() }
        }
        // The handler runs before the flag is up: abort first, since once the flag is up the callback may end
        // the run itself before the abort lands. The stream ends at once, whatever the runtime is doing.
        cancellation.onCancel {
            session.abort(ifRunning: cancellation)
            continuation.finish(throwing: InferenceError.cancelled)
        }
        switch RKLLMRunPlan.make(
            request, configuration: session.configuration, abi: abi, cancellation: cancellation,
            continuation: continuation)
        {
        case .failure(let refusal):
            continuation.finish(throwing: refusal)
        case .success(let plan):
            session.enqueue(plan)
            thread.submit { session.runPending() }
        }
        return events
    }

    public func savePromptCache(of input: GenerationInput, to path: String) async throws -> SavedPromptCache {
        let session = self.session
        return try await thread.run { try session.savePromptCache(of: input, to: path) }
    }

    /// The requests answered at once: the model's `n_batch`.
    public var slots: Int { session.configuration.batchSize }

    public func unload() async {
        let session = self.session
        let timeout = destroyTimeout
        thread.submit { _ = session.close(timeout: timeout) }
        await thread.stop(timeout: timeout + 5)
    }
}
