public import Hummingbird
public import InferenceCore
public import InferenceTypes

/// Writes a started generation as a response body (SSE or NDJSON frames), bound to the client's connection.
///
/// The handler gets the `Generation` from the core inside `ClientConnection.whileConnected` (so a client that
/// leaves while the request is queued or in prefill stops it); from then on no task is added: a client that
/// goes away while the answer is collected or streamed cancels the generation through a callback the
/// connection runs when it closes.
public struct GenerationStream: Sendable {
    /// The generation, its first event already received.
    public let generation: Generation
    /// The connection of the request the events answer.
    public let client: ClientConnection

    /// Binds a generation to the client it answers.
    public init(_ generation: Generation, client: ClientConnection) {
        self.generation = generation
        self.client = client
    }

    /// Every event, the first included, collected into one answer while the client stays.
    public func collect() async throws -> CollectedGeneration {
        let generation = self.generation
        do {
            let answer = try await client.onClose({ generation.cancel() }) { try await generation.collect() }
            return answer
        } catch {
            await generation.close()
            throw error
        }
    }

    /// Writes `prelude`, then each event through `write` until the end, and ends the body; a client that goes
    /// away cancels the generation. A generation stopped for any other reason (a failure, the server shutting
    /// down) ends with the `failure` frame, so the client sees why instead of a stream cut short.
    public func stream(
        to writer: inout any ResponseBodyWriter, prelude: [ByteBuffer],
        write: @Sendable (GenerationEvent) throws -> [ByteBuffer],
        failure: @Sendable (any Error) -> ByteBuffer
    ) async throws {
        let generation = self.generation
        var event: GenerationEvent? = generation.first
        var finished = false
        let stopped: (any Error)?
        do {
            try await client.onClose({ generation.cancel() }) {
                for buffer in prelude { try await writer.write(buffer) }
                while let current = event {
                    for buffer in try write(current) { try await writer.write(buffer) }
                    if case .done = current { finished = true }
                    event = try await generation.next()
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
        await generation.close()
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
