import Dispatch
public import InferenceTypes
import Synchronization

/// A thread of its own for one loaded model: every blocking call into the model's C handle runs here,
/// one job at a time in submission order, never on Swift's cooperative pool.
public final class ModelThread: Sendable {
    /// The jobs waiting for the thread, and the signals between it and its callers.
    private final class JobQueue: Sendable {
        struct State {
            var jobs: [@Sendable () -> Void] = []
            var stopping = false
        }

        let state = Mutex(State())
        let wakeUp = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)

        func loop() {
            while true {
                wakeUp.wait()
                let (next, stopping) = state.withLock { state in
                    (state.jobs.isEmpty ? nil : state.jobs.removeFirst(), state.stopping)
                }
                if let next {
                    next()
                } else if stopping {
                    finished.signal()
                    return
                }
            }
        }
    }

    private let queue = JobQueue()

    /// Starts the thread; fails when the system cannot start one (out of threads or memory).
    public init() throws(InferenceError) {
        try DetachedThread.start(stackSize: 8 << 20) { [queue] in queue.loop() }
    }

    /// Queues a job and returns at once.
    public func submit(_ job: @escaping @Sendable () -> Void) {
        queue.state.withLock { $0.jobs.append(job) }
        queue.wakeUp.signal()
    }

    /// Runs a job on the thread and waits for its result without blocking the caller's thread.
    public func run<Value: Sendable>(_ job: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            submit { continuation.resume(with: Result(catching: job)) }
        }
    }

    /// Lets the queued jobs finish, then ends the thread. Waits at most `timeout` seconds and says
    /// whether the thread ended in time.
    @discardableResult
    public func stop(timeout: Double) async -> Bool {
        queue.state.withLock { $0.stopping = true }
        queue.wakeUp.signal()
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [queue] in
                let deadline = DispatchTime.now() + .milliseconds(Int(timeout * 1000))
                continuation.resume(returning: queue.finished.wait(timeout: deadline) == .success)
            }
        }
    }
}
