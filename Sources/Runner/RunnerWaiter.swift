import EngineSupport
import InferenceTypes

/// A request to a runner waiting for its answer: the stream of a generation, or the continuation of a
/// request with one reply.
enum RunnerWaiter: Sendable {
    case stream(AsyncThrowingStream<EngineEvent, any Error>.Continuation)
    case embedding(CheckedContinuation<EmbeddingResult, any Error>)
    case scores(CheckedContinuation<RerankResult, any Error>)
    case tokens(CheckedContinuation<[Int], any Error>)
    case text(CheckedContinuation<String, any Error>)
    case promptCache(CheckedContinuation<SavedPromptCache, any Error>)

    /// Ends the request with `error`.
    func fail(_ error: any Error) {
        switch self {
        case .stream(let continuation): continuation.finish(throwing: error)
        case .embedding(let continuation): continuation.resume(throwing: error)
        case .scores(let continuation): continuation.resume(throwing: error)
        case .tokens(let continuation): continuation.resume(throwing: error)
        case .text(let continuation): continuation.resume(throwing: error)
        case .promptCache(let continuation): continuation.resume(throwing: error)
        }
    }
}
