import Conversation
import EngineSupport
import InferenceTypes
import ModelStore
import Synchronization

/// Wakes the tasks waiting for a loaded model to become idle or go away (a load that needs room).
///
/// Waiters are continuations; a waiter whose task is cancelled leaves at once with `CancellationError`. The
/// epoch lets a waiter that looked at the models before waiting return at once when one changed in between.
final class IdleSignal: Sendable {
    private struct State {
        var epoch: UInt64 = 0
        var nextID: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, any Error>] = [:]
        var cancelled: Set<UInt64> = []
    }

    private let state = Mutex(State())

    /// The number of wake-ups so far.
    var epoch: UInt64 { state.withLock { $0.epoch } }

    /// Waits for the next wake-up after `epoch` (returning at once when it has happened).
    func wait(after epoch: UInt64) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> Bool? in
                    if state.cancelled.remove(id) != nil { return false }
                    if state.epoch != epoch { return true }
                    state.waiters[id] = continuation
                    return nil
                }
                switch outcome {
                case true?: continuation.resume()
                case false?: continuation.resume(throwing: CancellationError())
                case nil: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                state.cancelled.insert(id)
                return nil
            }
            waiter?.resume(throwing: CancellationError())
        }
        // A cancellation that came after the wake-up left a mark nobody reads.
        state.withLock { _ = $0.cancelled.remove(id) }
    }

    /// Wakes every waiter.
    func wake() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.epoch += 1
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }
}
