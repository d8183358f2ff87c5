import Glibc

/// Monotonic time in nanoseconds, for timings that must not jump with the wall clock.
public enum MonotonicClock {
    /// Nanoseconds since an arbitrary fixed point.
    public static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    /// Nanoseconds since `start`, never negative.
    public static func since(_ start: UInt64) -> UInt64 {
        let current = now()
        return current > start ? current - start : 0
    }
}
