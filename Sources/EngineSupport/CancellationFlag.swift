import InferenceTypes
import Synchronization

/// A flag one side raises to ask a running generation to stop; the engine checks it between steps.
public final class CancellationFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    /// Creates a lowered flag.
    public init() {}

    /// Asks the generation to stop. Safe from any thread.
    public func cancel() {
        raised.store(true, ordering: .relaxed)
    }

    /// Whether the generation was asked to stop.
    public var isCancelled: Bool {
        raised.load(ordering: .relaxed)
    }
}
