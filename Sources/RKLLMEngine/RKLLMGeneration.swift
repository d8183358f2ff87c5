import CRKLLM
import EngineSupport
import Glibc
import InferenceTypes

/// The state of one `rkllm_run`, reached from the runtime's callback through its `userdata` pointer.
final class RKLLMGeneration {
    let continuation: AsyncThrowingStream<EngineEvent, any Error>.Continuation
    let cancellation: CancellationFlag
    let maxTokens: Int
    private var utf8 = UTF8Accumulator()
    private var stops: StopSequenceMatcher
    private(set) var generated = 0
    private(set) var stoppedByString = false
    private(set) var reachedLimit = false
    private(set) var perf: rkllm_perf_stat?
    private(set) var failed = false
    /// Whether this side stopped the run from the callback (which leaves the KV cache filled).
    private(set) var paused = false

    init(
        continuation: AsyncThrowingStream<EngineEvent, any Error>.Continuation, cancellation: CancellationFlag,
        maxTokens: Int, stops: [String]
    ) {
        self.continuation = continuation
        self.cancellation = cancellation
        self.maxTokens = maxTokens
        self.stops = StopSequenceMatcher(stops: stops)
    }

    /// Handles one callback; the return value tells the runtime to go on (0) or to stop now (1).
    func handle(_ result: UnsafeMutablePointer<rkllm_result>?, state: Int32) -> Int32 {
        switch state {
        case RKLLM_RUN_NORMAL:
            generated += 1
            if let text = result?.pointee.text {
                let piece = utf8.append(UnsafeBufferPointer(start: text, count: strlen(text)).lazy.map(UInt8.init))
                if emit(piece) { return pause() }
            }
            return shouldStop() ? pause() : 0
        case RKLLM_RUN_WAITING:
            // Part of a character: the runtime repeats these bytes, completed, in the next NORMAL callback.
            generated += 1
            return shouldStop() ? pause() : 0
        case RKLLM_RUN_FINISH:
            perf = result?.pointee.perf
            return 0
        default:
            failed = true
            return 0
        }
    }

    /// Sends whatever the accumulators still hold, when the generation ended on its own.
    func flush() {
        guard !stoppedByString, !cancellation.isCancelled else { return }
        _ = emit(utf8.flush())
        let rest = stops.flush()
        if !rest.isEmpty { continuation.yield(.text(rest)) }
    }

    /// Sends text on; says whether a stop string ended the generation.
    private func emit(_ piece: String) -> Bool {
        guard !piece.isEmpty else { return false }
        let outcome = stops.feed(piece)
        if !outcome.text.isEmpty { continuation.yield(.text(outcome.text)) }
        if outcome.stopped { stoppedByString = true }
        return outcome.stopped
    }

    private func pause() -> Int32 {
        paused = true
        return 1
    }

    private func shouldStop() -> Bool {
        if generated >= maxTokens { reachedLimit = true }
        return reachedLimit || cancellation.isCancelled
    }
}

/// The callback registered with the runtime. `userdata` is the `RKLLMGeneration` of the running
/// `rkllm_run`, passed unretained: the engine keeps it alive until `rkllm_run` returns.
let rkllmResultCallback: rkllm_result_callback = { result, userdata, state in
    guard let userdata else { return 0 }
    return Unmanaged<RKLLMGeneration>.fromOpaque(userdata).takeUnretainedValue().handle(result, state: state)
}
