import Synchronization

/// Whether the server can serve: false while the start-up model loads.
public final class Readiness: Sendable {
    private let ready: Atomic<Bool>

    /// Creates a readiness flag.
    public init(ready: Bool) {
        self.ready = Atomic(ready)
    }

    /// Whether requests can be served.
    public var isReady: Bool { ready.load(ordering: .acquiring) }

    /// Marks the server ready.
    public func markReady() {
        ready.store(true, ordering: .releasing)
    }
}
