import Logging

/// The events of a started generation, holding the lease on its model until they are consumed or dropped.
/// Each generation that ends logs one line with its model, tokens and where its time went.
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
                if case .done(let summary) = event { log(summary) }
                return event
            } catch {
                lease?.release()
                throw error
            }
        }

        private func log(_ summary: GenerationSummary) {
            let timings = summary.timings
            let evalSeconds = Double(timings.evalNanos) / 1e9
            let rate = evalSeconds > 0 ? Double(Swift.max(0, summary.usage.completionTokens - 1)) / evalSeconds : 0
            Self.logger.info(
                "generation finished",
                metadata: [
                    "model.id": "\(lease?.descriptor.id ?? "?")", "finish": "\(summary.finishReason.rawValue)",
                    "tokens.prompt": "\(summary.usage.promptTokens)", "tokens.cached": "\(summary.usage.cachedTokens)",
                    "tokens.completion": "\(summary.usage.completionTokens)",
                    "queue_ms": "\(timings.queueNanos / 1_000_000)",
                    "prompt_ms": "\(timings.promptEvalNanos / 1_000_000)",
                    "eval_ms": "\(timings.evalNanos / 1_000_000)", "tokens_per_s": "\(Int(rate.rounded()))",
                ])
        }

        private static let logger = Logger(label: "rockchip-llama")
    }
}
