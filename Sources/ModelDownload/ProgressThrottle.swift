import EngineSupport
import InferenceCore
import InferenceTypes

/// Spaces progress reports: one is due when `interval` has passed since the last.
struct ProgressThrottle {
    /// The least time between two reports, in nanoseconds.
    let interval: UInt64
    private var last: UInt64?

    /// A throttle with the given spacing; the first report is due at once.
    init(intervalNanoseconds: UInt64 = 100_000_000) {
        self.interval = intervalNanoseconds
    }

    /// Whether a report is due now; when it is, the next is due `interval` later.
    mutating func isDue() -> Bool {
        let now = MonotonicClock.now()
        if let last, now - last < interval { return false }
        last = now
        return true
    }
}
