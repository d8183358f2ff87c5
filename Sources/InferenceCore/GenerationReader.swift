import Conversation
import EngineSupport
import InferenceTypes
import Logging
import ModelStore

/// The one iterator of a generation: it reads the engine's events, interprets them (reasoning split, tool
/// calls), keeps the deadline informed, and ends the generation exactly once: the time limit's clock stops,
/// the Scheduler's slot is freed and the lease on the model is released, when the events end, fail, or the
/// generation is closed.
///
/// Used by one task at a time (see `Generation`).
struct GenerationReader {
    private var base: AsyncThrowingStream<EngineEvent, any Error>.AsyncIterator
    private var output: OutputInterpreter
    private var pending: [GenerationEvent] = []
    private let lease: ModelLease
    private let admission: Scheduler.Admission
    private let deadline: GenerationDeadline?
    let stop: CancellationFlag
    private(set) var ended = false

    init(
        engine: AsyncThrowingStream<EngineEvent, any Error>, output: OutputInterpreter, lease: ModelLease,
        admission: Scheduler.Admission, deadline: GenerationDeadline?, stop: CancellationFlag
    ) {
        base = engine.makeAsyncIterator()
        self.output = output
        self.lease = lease
        self.admission = admission
        self.deadline = deadline
        self.stop = stop
    }

    /// The next event, `nil` after `.done`. Throws the engine's error, the time limit's, `InferenceError.cancelled`
    /// after `cancel`, and `CancellationError` when the calling task is cancelled.
    mutating func next() async throws -> GenerationEvent? {
        while pending.isEmpty {
            if ended { return nil }
            let event: EngineEvent?
            do {
                event = try await base.next()
            } catch {
                await end()
                throw translated(error)
            }
            guard let event else {
                await end()
                throw translated(nil)
            }
            deadline?.eventArrived()
            pending = output.interpret(event)
        }
        var event = pending.removeFirst()
        if case .done(var summary) = event {
            summary.timings.queueNanos += admission.queueNanos
            event = .done(summary)
            pending.removeAll()
            await end()
            log(summary)
        }
        return event
    }

    /// Ends the generation if it has not ended: the engine is stopped and the lease released now.
    mutating func close() async {
        guard !ended else { return }
        stop.cancel()
        await end()
    }

    /// Ends a generation nobody reads any more, without waiting: the engine is stopped, the slot freed, and the
    /// lease handed back through the model manager's own queue.
    mutating func abandon() {
        guard !ended else { return }
        ended = true
        stop.cancel()
        deadline?.end()
        lease.scheduler.leave()
        lease.release()
    }

    private mutating func end() async {
        guard !ended else { return }
        ended = true
        deadline?.end()
        lease.scheduler.leave()
        await lease.releaseNow()
    }

    /// What a stream that ended early (`error`, or `nil` for no summary) is reported as.
    private func translated(_ error: (any Error)?) -> any Error {
        if let expiry = deadline?.expiry { return InferenceError.engineFailure(expiry) }
        if let error { return error }
        if Task.isCancelled { return CancellationError() }
        if stop.isCancelled { return InferenceError.cancelled }
        return InferenceError.engineFailure("the generation ended without a summary")
    }

    private func log(_ summary: GenerationSummary) {
        let timings = summary.timings
        let evalSeconds = Double(timings.evalNanos) / 1e9
        let rate = evalSeconds > 0 ? Double(Swift.max(0, summary.usage.completionTokens - 1)) / evalSeconds : 0
        Self.logger.info(
            "generation finished",
            metadata: [
                "model.id": "\(lease.descriptor.id)", "finish": "\(summary.finishReason.rawValue)",
                "tokens.prompt": "\(summary.usage.promptTokens)", "tokens.cached": "\(summary.usage.cachedTokens)",
                "tokens.completion": "\(summary.usage.completionTokens)",
                "queue_ms": "\(timings.queueNanos / 1_000_000)",
                "prompt_ms": "\(timings.promptEvalNanos / 1_000_000)",
                "eval_ms": "\(timings.evalNanos / 1_000_000)", "tokens_per_s": "\(Int(rate.rounded()))",
            ])
    }

    private static let logger = Logger(label: "rockchip-llama")
}
