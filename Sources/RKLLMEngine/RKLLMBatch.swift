import CRKLLM
import EngineSupport
import InferenceTypes

/// The state of one `rkllm_run`, reached from the runtime's callback through its `userdata` pointer: the
/// requests it answers, one per batch element from the first; the elements after them only pad the batch
/// to `n_batch` and their results are ignored.
final class RKLLMBatch: RKLLMResultReceiver {
    let members: [RKLLMGeneration]
    /// `n_batch`: the number of results in each callback.
    let width: Int
    /// When `rkllm_run` was called (a `MonotonicClock` reading).
    let start: UInt64
    private(set) var failed = false
    /// Whether this side stopped the run from the callback (which leaves the KV cache filled).
    private(set) var paused = false
    /// Whether this side aborted the run at the last member's EOS id (rknn-llm #534).
    private(set) var abortedAtEndOfSequence = false
    /// Stops the run (`rkllm_abort`): returning 1 from the callback is no way to end a run at an EOS the runtime
    /// missed, since 1.3.0 then never sends FINISH and resumes the answer in the next run.
    var abortRun: (() -> Void)?

    init(members: [RKLLMGeneration], width: Int, start: UInt64) {
        self.members = members
        self.width = width
        self.start = start
    }

    /// How long a member waited for the run, from its arrival at the engine.
    func queueNanos(of member: RKLLMGeneration) -> UInt64 {
        start > member.plan.submitted ? start - member.plan.submitted : 0
    }

    /// Handles one callback; the return value tells the runtime to go on (0) or to stop now (1).
    func handle(_ results: UnsafeMutablePointer<rkllm_result>?, state: Int32) -> Int32 {
        switch state {
        case RKLLM_RUN_NORMAL, RKLLM_RUN_WAITING:
            let now = MonotonicClock.now()
            let waiting = state == RKLLM_RUN_WAITING
            var endedNow: [RKLLMGeneration] = []
            for (index, member) in members.enumerated() {
                let result = results.map { $0[index] }
                if member.step(result, waiting: waiting, batched: width > 1, at: now) { endedNow.append(member) }
            }
            guard members.allSatisfy(\.ended) else {
                // The others go on: the members that ended have their answer now.
                for member in endedNow { member.answerAlone(queueNanos: queueNanos(of: member), runStart: start) }
                return 0
            }
            // The last members answer after FINISH, with the runtime's figures.
            if let abortRun, endedNow.contains(where: \.sawEndOfSequence) {
                abortedAtEndOfSequence = true
                abortRun()
                return 0
            }
            paused = true
            return 1
        case RKLLM_RUN_FINISH:
            for (index, member) in members.enumerated() { member.perf = results?[index].perf }
            return 0
        default:
            failed = true
            return 0
        }
    }
}

/// The callback registered with the runtime. `userdata` is the `RKLLMResultReceiver` of the running `rkllm_run`
/// (an `RKLLMBatch`, an `RKLLMTensorReader`), passed unretained: the engine keeps it alive until `rkllm_run`
/// returns.
let rkllmResultCallback: rkllm_result_callback = { result, userdata, state in
    guard let userdata else { return 0 }
    // A class instance's opaque pointer is the same object seen as AnyObject.
    let receiver = Unmanaged<AnyObject>.fromOpaque(userdata).takeUnretainedValue()
    return (receiver as? any RKLLMResultReceiver)?.handle(result, state: state) ?? 0
}
