public import Hummingbird
public import InferenceCore
public import InferenceTypes

/// Hands a started generation's events from the request handler to the response body writer.
///
/// The handler waits for the first event before it answers, so that a failure before any output (a
/// prompt too long for the context, a load error) gets its own status instead of a 200 stream that breaks.
/// Every wait is bound to the client's connection: a client that goes away while its request is queued, in
/// prefill, being collected or streamed stops the generation at once.
public final class GenerationStream: Sendable {
    /// The first event, already received.
    public let first: GenerationEvent
    /// The connection of the request the events answer.
    public let client: ClientConnection
    private let cursor: Cursor

    /// Waits for the first event of a generation; throws what the generation throws before it, and
    /// `CancellationError` when the client goes first.
    public init(_ events: GenerationEvents, client: ClientConnection) async throws {
        let cursor = Cursor(events.makeAsyncIterator())
        guard let first = try await client.whileConnected({ try await cursor.next() }) else {
            throw InferenceError.cancelled
        }
        self.first = first
        self.client = client
        self.cursor = cursor
    }

    /// The next event after the first, or `nil` at the end.
    public func next() async throws -> GenerationEvent? {
        try await cursor.next()
    }

    /// Every event, the first included, collected into one answer while the client stays.
    public func collect() async throws -> CollectedGeneration {
        try await client.whileConnected { try await self.gather() }
    }

    private func gather() async throws -> CollectedGeneration {
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

    /// Writes `prelude`, then each event through `write` until the end, and ends the body; a client that goes
    /// away cancels the generation. A generation stopped for any other reason (a failure, the server shutting
    /// down) ends with the `failure` frame, so the client sees why instead of a stream cut short.
    public func stream(
        to writer: inout any ResponseBodyWriter, prelude: [ByteBuffer],
        write: @Sendable (GenerationEvent) throws -> [ByteBuffer],
        failure: @Sendable (any Error) -> ByteBuffer
    ) async throws {
        var event: GenerationEvent? = first
        var finished = false
        let stopped: (any Error)?
        do {
            try await client.whileConnected {
                for buffer in prelude { try await writer.write(buffer) }
                while let current = event {
                    for buffer in try write(current) { try await writer.write(buffer) }
                    if case .done = current { finished = true }
                    event = try await next()
                }
            }
            stopped = finished ? nil : InferenceError.engineFailure("the generation ended without a summary")
        } catch is CancellationError {
            stopped = InferenceError.engineFailure(Self.stoppedByServer)
        } catch InferenceError.cancelled {
            stopped = InferenceError.engineFailure(Self.stoppedByServer)
        } catch {
            stopped = error
        }
        // A client that left cancels only the generation; the server shutting down cancels this task too (and
        // closes the connection's input, so the client looks gone): then the client still hears why, written
        // outside this cancelled task, whose writes would fail.
        let serverStopping = Task.isCancelled
        if serverStopping {
            let frame = failure(InferenceError.engineFailure(Self.stoppedByServer))
            try await Self.uncancelled {
                try await writer.write(frame)
                try await writer.finish(nil)
            }
            return
        }
        if let stopped, !client.isClosed { try await writer.write(failure(stopped)) }
        try await writer.finish(nil)
    }

    /// Runs `operation` in a task of its own, which the cancellation of the caller does not reach.
    private static func uncancelled(_ operation: () async throws -> Void) async throws {
        try await withoutActuallyEscaping(operation) { escapable in
            // Used by the new task alone while this one waits for it.
            nonisolated(unsafe) let work = escapable
            try await Task { try await work() }.value
        }
    }

    static let stoppedByServer = "the generation was stopped by the server before it ended (it is shutting down)"
}

extension GenerationStream {
    /// The iterator of the events, handed from task to task.
    fileprivate final class Cursor: Sendable {
        // Used by one task at a time: the handler's wait for the first event, then the collecting or
        // streaming task, each of which ends before the next begins.
        nonisolated(unsafe) private var iterator: GenerationEvents.Iterator

        init(_ iterator: GenerationEvents.Iterator) {
            self.iterator = iterator
        }

        func next() async throws -> GenerationEvent? {
            try await iterator.next()
        }
    }
}
