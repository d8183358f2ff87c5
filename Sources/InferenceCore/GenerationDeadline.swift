import Conversation
import Dispatch
import EngineSupport
import InferenceTypes
import ModelStore
import Synchronization

/// The time limit of one running generation, as a deadline that moves with each event.
///
/// One Dispatch timer per generation, not a task: it is set for the first-event limit when the engine
/// starts, and when it fires it either finds that an event came in the meantime (and sets itself again for
/// the last event plus the between-events limit) or raises the generation's `CancellationFlag`. Raising the
/// flag ends the engine's event stream at once (the engine's handler) and stops the runtime (llama.cpp's
/// abort callback, `rkllm_abort`, the runner's cancel), so the iterator that waits on the stream wakes up and
/// reports `expiry` instead of a plain cancellation. The first event sets the timer for the between-events
/// limit; later events cost one uncontended lock, never a timer change.
final class GenerationDeadline: Sendable {
    private struct State {
        var lastEvent: UInt64
        var started = false
        var expiry: String?
        var ended = false
    }

    private let state: Mutex<State>
    // Set once in init; a Dispatch source may be scheduled and cancelled from any thread.
    nonisolated(unsafe) private let timer: any DispatchSourceTimer
    private let firstLimit: Double
    private let betweenLimit: Double

    /// Starts the clock: `firstLimit` seconds for the first event, `betweenLimit` between two events.
    init(firstLimit: Double, betweenLimit: Double, stop: CancellationFlag) {
        self.firstLimit = firstLimit
        self.betweenLimit = betweenLimit
        state = Mutex(State(lastEvent: MonotonicClock.now()))
        timer = DispatchSource.makeTimerSource(queue: .global())
        timer.setEventHandler { [weak self] in self?.fire(stop: stop) }
        timer.schedule(deadline: .now() + .nanoseconds(Self.nanos(firstLimit)))
        timer.activate()
    }

    /// Records that the engine produced an event; the first one sets the timer for the between-events limit.
    func eventArrived() {
        let first = state.withLock { state in
            state.lastEvent = MonotonicClock.now()
            defer { state.started = true }
            return !state.started && !state.ended
        }
        if first { timer.schedule(deadline: .now() + .nanoseconds(Self.nanos(betweenLimit))) }
    }

    /// Why the generation was stopped, when its deadline passed: the message the client sees.
    var expiry: String? { state.withLock { $0.expiry } }

    /// Stops the clock (the generation ended).
    func end() {
        let stop = state.withLock { state -> Bool in
            defer { state.ended = true }
            return !state.ended
        }
        if stop { timer.cancel() }
    }

    private func fire(stop: CancellationFlag) {
        let remaining = state.withLock { state -> UInt64? in
            guard !state.ended, state.expiry == nil else { return nil }
            let limit = state.started ? betweenLimit : firstLimit
            let elapsed = MonotonicClock.since(state.lastEvent)
            let allowed = UInt64(Self.nanos(limit))
            if elapsed < allowed { return allowed - elapsed }
            let what = state.started ? "no output for" : "no first token within"
            state.expiry = "\(what) \(Int(limit)) s (the limit for this prompt); the generation was stopped"
            return 0
        }
        guard let remaining else { return }
        if remaining == 0 {
            stop.cancel()
        } else {
            timer.schedule(deadline: .now() + .nanoseconds(Int(remaining)))
        }
    }

    private static func nanos(_ seconds: Double) -> Int {
        Int(min(max(0, seconds), 1e9) * 1e9)
    }

    deinit {
        end()
    }
}
