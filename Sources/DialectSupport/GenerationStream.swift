public import Hummingbird
public import InferenceCore

/// Hands a started generation's events from the request handler to the response body writer.
///
/// The handler waits for the first event before it answers, so that a failure before any output (a
/// prompt too long for the context, a load error) gets its own status instead of a 200 stream that breaks.
public final class GenerationStream: Sendable {
    /// The first event, already received.
    public let first: GenerationEvent
    // Used by one task at a time: the handler, then the body writer it hands the stream to.
    nonisolated(unsafe) private var iterator: GenerationEvents.Iterator

    /// Waits for the first event of a generation; throws what the generation throws before it.
    public init(_ events: GenerationEvents) async throws {
        var iterator = events.makeAsyncIterator()
        guard let first = try await iterator.next() else { throw InferenceError.cancelled }
        self.first = first
        self.iterator = iterator
    }

    /// The next event after the first, or `nil` at the end.
    public func next() async throws -> GenerationEvent? {
        try await iterator.next()
    }

    /// Every event, the first included, collected into one answer.
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

    /// Writes `prelude`, then each event through `write` until the end; a client that goes away cancels the generation.
    public func stream(
        to writer: inout any ResponseBodyWriter, requestBody: RequestBody, prelude: [ByteBuffer],
        write: @Sendable (GenerationEvent) throws -> [ByteBuffer],
        failure: @Sendable (any Error) -> ByteBuffer
    ) async throws {
        try await requestBody.consumeWithCancellationOnInboundClose { _ in
            var event: GenerationEvent? = first
            do {
                for buffer in prelude { try await writer.write(buffer) }
                while let current = event {
                    for buffer in try write(current) { try await writer.write(buffer) }
                    event = try await next()
                }
            } catch is CancellationError {
                return
            } catch InferenceError.cancelled {
                return
            } catch {
                try await writer.write(failure(error))
            }
        }
    }
}
