/// The events of a started generation, holding the lease on its model until they are consumed or dropped.
public struct GenerationEvents: AsyncSequence, Sendable {
    public typealias Element = GenerationEvent

    private let stream: AsyncThrowingStream<GenerationEvent, any Error>
    private let lease: ModelLease?

    /// Wraps an engine's stream; `lease` is released when iteration ends or the iterator is dropped.
    public init(_ stream: AsyncThrowingStream<GenerationEvent, any Error>, lease: ModelLease?) {
        self.stream = stream
        self.lease = lease
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: stream.makeAsyncIterator(), lease: lease)
    }

    /// Forwards the engine's events; holding the lease is all it adds.
    public struct Iterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<GenerationEvent, any Error>.AsyncIterator
        let lease: ModelLease?

        public mutating func next() async throws -> GenerationEvent? {
            do {
                let event = try await base.next()
                if event == nil { lease?.release() }
                return event
            } catch {
                lease?.release()
                throw error
            }
        }
    }
}
