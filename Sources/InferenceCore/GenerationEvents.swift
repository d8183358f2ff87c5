public import Conversation
import EngineSupport
public import InferenceTypes
import Logging
import ModelStore
import SchemaGrammar

/// The events of a started generation, read through the model's `OutputInterpreter` (reasoning and tool
/// calls split out), holding the lease on its model until they are consumed or dropped. Each generation that
/// ends logs one line with its model, tokens and where its time went.
public struct GenerationEvents: AsyncSequence, Sendable {
    public typealias Element = GenerationEvent

    private let stream: AsyncThrowingStream<GenerationEvent, any Error>
    private let lease: ModelLease?
    private let output: OutputInterpreter

    /// Wraps an engine's stream; `lease` is released when iteration ends or the iterator is dropped.
    /// - Parameter output: how the engine's events are read; the default passes them through.
    public init(
        _ stream: AsyncThrowingStream<GenerationEvent, any Error>, lease: ModelLease?,
        output: OutputInterpreter = OutputInterpreter()
    ) {
        self.stream = stream
        self.lease = lease
        self.output = output
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: stream.makeAsyncIterator(), lease: lease, output: output)
    }

    /// Reads the engine's events through the interpreter, holding the lease until the end.
    public struct Iterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<GenerationEvent, any Error>.AsyncIterator
        let lease: ModelLease?
        var output: OutputInterpreter
        var pending: [GenerationEvent] = []

        public mutating func next() async throws -> GenerationEvent? {
            while pending.isEmpty {
                let event: GenerationEvent?
                do {
                    event = try await base.next()
                } catch {
                    lease?.release()
                    throw error
                }
                guard let event else {
                    lease?.release()
                    return nil
                }
                pending = output.interpret(event)
            }
            let event = pending.removeFirst()
            if case .done(let summary) = event { log(summary) }
            return event
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
