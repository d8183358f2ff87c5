import Conversation
import Dispatch
import EngineSupport
import InferenceTypes
import ModelStore
import Synchronization

/// The one timer of a model manager: set for the earliest keep-alive expiry of its idle models, it calls
/// `onFire` then, instead of a task per released request that sleeps until its expiry.
final class KeepAliveTimer: Sendable {
    // Set once in init; a Dispatch source may be scheduled and cancelled from any thread.
    nonisolated(unsafe) private let timer: any DispatchSourceTimer

    /// A timer that is not set yet.
    init(onFire: @escaping @Sendable () -> Void) {
        timer = DispatchSource.makeTimerSource(queue: .global())
        timer.setEventHandler(handler: onFire)
        timer.schedule(deadline: .distantFuture)
        timer.activate()
    }

    /// Sets the timer to fire once, `seconds` from now (replacing the previous setting); `nil` unsets it.
    func set(after seconds: Double?) {
        guard let seconds else {
            timer.schedule(deadline: .distantFuture)
            return
        }
        timer.schedule(deadline: .now() + .nanoseconds(Int(min(max(0, seconds), 1e9) * 1e9)))
    }

    deinit {
        timer.cancel()
    }
}
