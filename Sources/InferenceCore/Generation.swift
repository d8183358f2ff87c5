import Conversation
import EngineSupport
public import InferenceTypes
import ModelStore

/// A started generation: its first event is already there, the rest are read with `next()` or gathered with
/// `collect()`, and it can be stopped from any thread with `cancel()`.
///
/// Its events are the core's: the engine's text read through the model's output interpreter (reasoning and
/// tool calls split out), its time limit checked as a deadline, its queue time in the summary. The lease on the
/// model and the Scheduler's slot are released when the events end (at `.done`), when they fail, or at
/// `close()`; a generation dropped unread stops its engine and hands its lease back on deinit, without a task.
///
/// One task reads it at a time: the request handler that waited for the first event, then the task that
/// collects or streams the rest.
public final class Generation: Sendable {
    /// The model that runs it.
    public let model: ModelDescriptor
    /// What is known of the loaded model.
    public let info: ModelInfo
    /// Nanoseconds spent loading the model for this request (0 when it was loaded already).
    public let loadNanos: UInt64
    /// The first event.
    public let first: GenerationEvent
    private let stop: CancellationFlag
    // Used by one task at a time, as the type's documentation says; deinit runs after the last use.
    nonisolated(unsafe) private var reader: GenerationReader

    /// Waits for the first event; throws what the generation throws before it (the lease is then released).
    init(model: ModelDescriptor, info: ModelInfo, loadNanos: UInt64, reader: GenerationReader) async throws {
        var reader = reader
        guard let first = try await reader.next() else { throw InferenceError.cancelled }
        self.model = model
        self.info = info
        self.loadNanos = loadNanos
        self.first = first
        self.stop = reader.stop
        self.reader = reader
    }

    /// The next event after the first, or `nil` after `.done`.
    public func next() async throws -> GenerationEvent? {
        try await reader.next()
    }

    /// Every event, the first included, gathered into one answer.
    public func collect() async throws -> CollectedGeneration {
        var answer = CollectedGeneration()
        var event: GenerationEvent? = first
        while let current = event {
            switch current {
            case .text(let piece): answer.text += piece
            case .reasoning(let piece): answer.reasoning += piece
            case .toolCall(let call): answer.toolCalls.append(call)
            case .logprobs(let entries): answer.logprobs += entries
            case .done(let summary):
                answer.summary = summary
                return answer
            }
            event = try await next()
        }
        throw InferenceError.engineFailure("the generation ended without a summary")
    }

    /// Stops the generation, from any thread: the engine's stream ends at once, and the reader's pending or
    /// next `next()` throws `InferenceError.cancelled`.
    public func cancel() {
        stop.cancel()
    }

    /// Ends the generation if it has not ended (stopping the engine) and releases its lease now. Call it from
    /// the task that reads the events, when it stops reading before the end.
    public func close() async {
        await reader.close()
    }

    deinit {
        reader.abandon()
    }
}
