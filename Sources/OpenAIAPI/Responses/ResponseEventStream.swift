import InferenceTypes
import NIOCore
import Synchronization

/// The events of one streamed response, shared by the closures that write its body: a lock around the
/// `ResponseEventWriter` (the closures run one after another; the lock is never contended), and what to do
/// with the finished response (keep it for follow-ups).
final class ResponseEventStream: Sendable {
    private let writer: Mutex<ResponseEventWriter>
    private let onFinish: @Sendable (ResponseObject) -> Void

    /// A stream of `reply`'s events; `onFinish` gets the response once `response.completed` (or
    /// `.incomplete`) is written.
    init(reply: ResponseReply, onFinish: @escaping @Sendable (ResponseObject) -> Void) {
        writer = Mutex(ResponseEventWriter(reply: reply))
        self.onFinish = onFinish
    }

    /// `response.created` and `response.in_progress`.
    func opening() throws -> [ByteBuffer] {
        try writer.withLock { try $0.opening() }
    }

    /// The frames of one event of the core.
    func frames(for event: GenerationEvent) throws -> [ByteBuffer] {
        let (frames, finished) = try writer.withLock { writer in
            (try writer.frames(for: event), writer.finished)
        }
        if case .done = event, let finished { onFinish(finished) }
        return frames
    }

    /// `response.failed` for an error that stopped the stream.
    func failure(_ error: any Error) -> ByteBuffer {
        let wire = OpenAIError(any: error)
        let frame = writer.withLock { try? $0.failure(wire) }
        return frame
            ?? ByteBuffer(string: "event: error\ndata: {\"type\":\"error\",\"message\":\"the response failed\"}\n\n")
    }
}
