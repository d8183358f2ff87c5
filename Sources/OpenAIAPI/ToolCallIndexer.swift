import Synchronization

/// Hands out the `index` of each tool call of one streamed answer: 0, 1, 2, ...
final class ToolCallIndexer: Sendable {
    private let count = Mutex(0)

    /// The next index.
    func next() -> Int {
        count.withLock { value in
            defer { value += 1 }
            return value
        }
    }
}
