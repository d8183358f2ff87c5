import Synchronization

/// A flag one side raises to ask a running generation to stop.
///
/// The engine checks it between steps (and llama.cpp's abort callback reads it during a decode), and it
/// registers one handler that ends its event stream at once when the flag goes up, so that whoever raises it
/// (a client that left, the core's deadline timer) is never left waiting for a stuck runtime.
public final class CancellationFlag: Sendable {
    private let raised = Atomic<Bool>(false)
    private let handler = Mutex<(cancelled: Bool, run: (@Sendable () -> Void)?)>((false, nil))

    /// Creates a lowered flag.
    public init() {}

    /// Asks the generation to stop. Safe from any thread; runs the handler once, then raises the flag.
    public func cancel() {
        let run = handler.withLock { state -> (@Sendable () -> Void)? in
            guard !state.cancelled else { return nil }
            state.cancelled = true
            defer { state.run = nil }
            return state.run
        }
        run?()
        raised.store(true, ordering: .relaxed)
    }

    /// Sets what runs when the flag goes up (replacing an earlier handler); runs it at once when it is up already.
    public func onCancel(_ run: @escaping @Sendable () -> Void) {
        let now = handler.withLock { state -> Bool in
            if state.cancelled { return true }
            state.run = run
            return false
        }
        if now { run() }
    }

    /// Whether the generation was asked to stop.
    public var isCancelled: Bool {
        raised.load(ordering: .relaxed)
    }
}
