import Dispatch
import EngineSupport
import Glibc
public import InferenceTypes
import SchemaGrammar
import Synchronization

/// A few threads of their own for rendering chat templates. A template is untrusted code that may run for
/// its whole time budget; on Swift's cooperative pool a few of them at once would starve `/health` and
/// every other model. Renders wait in one FIFO queue; a render whose caller is cancelled is dropped from the
/// queue at once, or, when it is running, stops at its next check of the cancellation flag.
public final class TemplateRenderPool: Sendable {
    /// The pool every model renders on: as many threads as cores, at least two, at most four.
    public static let shared = TemplateRenderPool(threads: min(4, max(2, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))))

    /// A queued render: `run` renders and resumes its caller, `drop` resumes it without rendering.
    private struct Job: Sendable {
        let id: UInt64
        let flag: CancellationFlag
        let run: @Sendable () -> Void
        let drop: @Sendable (InferenceError) -> Void
    }

    private struct State {
        var queue: [Job] = []
        var threads = 0
        var running = 0
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())
    private let wakeUp = DispatchSemaphore(value: 0)
    /// The most threads the pool starts; they start as renders need them and then stay.
    public let maxThreads: Int

    /// Creates a pool of at most `threads` threads (at least one).
    public init(threads: Int) {
        maxThreads = max(1, threads)
    }

    /// Renders being run now.
    public var runningRenders: Int { state.withLock { $0.running } }

    /// Renders waiting for a thread.
    public var queuedRenders: Int { state.withLock { $0.queue.count } }

    /// Runs `body` on one of the pool's threads and waits for it without holding the caller's thread.
    ///
    /// Cancelling the calling task raises the flag `body` is given (a running render checks it as it goes)
    /// or, while the render still waits for a thread, answers `.cancelled` at once.
    public func run<Value: Sendable>(
        _ body: @escaping @Sendable (CancellationFlag) throws(InferenceError) -> Value
    ) async throws(InferenceError) -> Value {
        let flag = CancellationFlag()
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        let result: Result<Value, InferenceError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let job = Job(
                    id: id, flag: flag,
                    run: {
                        guard !flag.isCancelled else { return continuation.resume(returning: .failure(.cancelled)) }
                        continuation.resume(returning: Result { () throws(InferenceError) in try body(flag) })
                    },
                    drop: { continuation.resume(returning: .failure($0)) })
                enqueue(job)
            }
        } onCancel: {
            flag.cancel()
            drop(id, because: .cancelled)
        }
        return try result.get()
    }

    private func enqueue(_ job: Job) {
        let startThread = state.withLock { state in
            state.queue.append(job)
            guard state.threads < maxThreads, state.running + state.queue.count > state.threads else { return false }
            state.threads += 1
            return true
        }
        wakeUp.signal()
        if startThread {
            do {
                try DetachedThread.start(stackSize: 16 << 20) { [self] in work() }
            } catch {
                let none = state.withLock { state in
                    state.threads -= 1
                    return state.threads == 0
                }
                if none { drop(job.id, because: error) }
            }
        }
        // The caller may have been cancelled before its job was queued: its handler found nothing to drop.
        if job.flag.isCancelled { drop(job.id, because: .cancelled) }
    }

    /// Takes a job out of the queue, if it is still there, and answers its caller with `error`.
    private func drop(_ id: UInt64, because error: InferenceError) {
        let job = state.withLock { state -> Job? in
            guard let index = state.queue.firstIndex(where: { $0.id == id }) else { return nil }
            return state.queue.remove(at: index)
        }
        job?.drop(error)
    }

    private func work() {
        while true {
            wakeUp.wait()
            let job = state.withLock { state -> Job? in
                guard !state.queue.isEmpty else { return nil }
                state.running += 1
                return state.queue.removeFirst()
            }
            guard let job else { continue }
            job.run()
            state.withLock { $0.running -= 1 }
        }
    }
}
