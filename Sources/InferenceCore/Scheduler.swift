import Conversation
import EngineSupport
import InferenceTypes
public import Logging
import ModelStore
import Synchronization

/// Admission and order of the generations of one loaded model: at most `slots` run at once (what the engine
/// declares), the others wait in arrival order, and no more than `maxQueueDepth` wait; one more is refused at
/// once with `InferenceError.busy` rather than left hanging.
///
/// Waiters are continuations, resumed in order as slots free up. A waiter whose task is cancelled (its client
/// left) is taken out of the queue at once and throws `CancellationError`.
public final class Scheduler: Sendable {
    /// What an admitted generation learns about its wait.
    public struct Admission: Sendable, Equatable {
        /// Nanoseconds spent waiting for a slot.
        public var queueNanos: UInt64
        /// Generations that were running or waiting when it asked.
        public var ahead: Int
    }

    private enum Phase {
        case asking
        case cancelled
    }

    private struct Waiter {
        var id: UInt64
        var ahead: Int
        var continuation: CheckedContinuation<Int, any Error>
    }

    private struct State {
        var running = 0
        var queue: [Waiter] = []
        var phases: [UInt64: Phase] = [:]
        var nextID: UInt64 = 0
    }

    /// Generations that run at once.
    public let slots: Int
    /// Generations that may wait for a slot.
    public let maxQueueDepth: Int
    private let state = Mutex(State())
    private let logger: Logger?
    private let modelID: String

    /// Creates a scheduler for a model whose engine runs `slots` generations at once.
    public init(slots: Int = 1, maxQueueDepth: Int = 16, modelID: String = "", logger: Logger? = nil) {
        self.slots = max(1, slots)
        self.maxQueueDepth = max(0, maxQueueDepth)
        self.modelID = modelID
        self.logger = logger
    }

    /// Generations running now.
    public var running: Int { state.withLock { $0.running } }

    /// Generations waiting for a slot.
    public var waiting: Int { state.withLock { $0.queue.count } }

    /// Waits for a slot, after those that asked before. The caller must `leave()` once it is done.
    ///
    /// Throws `InferenceError.busy` at once when the queue is full, and `CancellationError` when the calling
    /// task is cancelled while it waits (it then holds no slot).
    public func admit() async throws -> Admission {
        let start = MonotonicClock.now()
        let id = state.withLock { state in
            state.nextID += 1
            state.phases[state.nextID] = .asking
            return state.nextID
        }
        let ahead = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
                let outcome = state.withLock { state -> Result<Int?, any Error> in
                    let phase = state.phases.removeValue(forKey: id)
                    if phase == .cancelled { return .failure(CancellationError()) }
                    let ahead = state.running + state.queue.count
                    if state.running < slots, state.queue.isEmpty {
                        state.running += 1
                        return .success(ahead)
                    }
                    if state.queue.count >= maxQueueDepth { return .failure(InferenceError.busy(retryAfterSeconds: 1)) }
                    state.queue.append(Waiter(id: id, ahead: ahead, continuation: continuation))
                    return .success(nil)
                }
                switch outcome {
                case .success(let ahead?): continuation.resume(returning: ahead)
                case .success(nil): break
                case .failure(let error):
                    if case InferenceError.busy = error {
                        logger?.warning(
                            "queue full", metadata: ["model.id": "\(modelID)", "queue.depth": "\(maxQueueDepth)"])
                    }
                    continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                if let index = state.queue.firstIndex(where: { $0.id == id }) { return state.queue.remove(at: index) }
                if state.phases[id] == .asking { state.phases[id] = .cancelled }
                return nil
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
        return Admission(queueNanos: MonotonicClock.since(start), ahead: ahead)
    }

    /// Frees the slot of an admitted generation; the first waiter, if any, takes it.
    public func leave() {
        let next = state.withLock { state -> Waiter? in
            if !state.queue.isEmpty { return state.queue.removeFirst() }
            state.running = max(0, state.running - 1)
            return nil
        }
        next.map { $0.continuation.resume(returning: $0.ahead) }
    }
}
