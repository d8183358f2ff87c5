import Dispatch
import Glibc
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
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, 8 << 20)
        // The retained queue is handed to the new thread, which releases it when its loop ends.
        let context = Unmanaged.passRetained(queue).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(
            &thread, &attributes,
            { context in
                let queue = Unmanaged<JobQueue>.fromOpaque(context!).takeRetainedValue()
                queue.loop()
                return nil
            }, context)
        pthread_attr_destroy(&attributes)
        guard created == 0 else {
            Unmanaged<JobQueue>.fromOpaque(context).release()
            throw .engineFailure("cannot start a thread for the model (pthread_create returned \(created))")
        }
        pthread_detach(thread)
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
