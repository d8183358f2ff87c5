import EngineSupport
import Glibc
import InferenceTypes
import Synchronization

/// The runner's end of its socket, blocking: length-prefixed frames, written whole by any thread and read by
/// one reader thread. A closed peer reads as the end of the stream and never raises SIGPIPE. The reader
/// closes the descriptor, exactly once, when it has read its last frame.
final class FrameChannel: Sendable {
    let descriptor: Int32
    /// Held while writing; `true` once the descriptor is closed, after which nothing is written.
    private let writeLock = Mutex(false)

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Sends one message as JSON; throws when the peer is gone.
    func send(_ message: some Encodable) throws(InferenceError) {
        try send(payload: try RunnerJSON.encode(message))
    }

    /// Sends one frame holding `payload`; throws when the peer is gone.
    func send(payload: some Collection<UInt8>) throws(InferenceError) {
        var frame = [UInt8]()
        frame.reserveCapacity(payload.count + 4)
        let length = UInt32(payload.count)
        frame.append(contentsOf: [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: length >> $0) })
        frame.append(contentsOf: payload)
        let sent = writeLock.withLock { closed in !closed && Self.writeAll(frame, to: descriptor) }
        guard sent else { throw .engineFailure("the server's end of the runner socket is gone") }
    }

    /// The next JSON message, or `nil` when the peer closed its end (or sent something unreadable).
    func receive<Message: Decodable>(_ type: Message.Type) -> Message? {
        receivePayload().flatMap { RunnerJSON.decode(Message.self, from: $0) }
    }

    /// The payload of the next frame, or `nil` when the peer closed its end (or sent an oversized length).
    func receivePayload() -> [UInt8]? {
        var header = [UInt8](repeating: 0, count: 4)
        guard readExactly(&header) else { return nil }
        let length = header.reduce(0) { $0 << 8 | Int($1) }
        guard length <= RunnerFrameDecoder.maxFrameBytes else { return nil }
        var payload = [UInt8](repeating: 0, count: length)
        guard readExactly(&payload) else { return nil }
        return payload
    }

    /// Ends the connection both ways without freeing the descriptor: the reader's blocked read returns the
    /// end of the stream, and the reader then closes.
    func shutdown() {
        writeLock.withLock { closed in
            guard !closed else { return }
            _ = Glibc.shutdown(descriptor, Int32(SHUT_RDWR))
        }
    }

    /// Closes this end (the peer reads the end of the stream) and frees the descriptor; later sends fail.
    /// Called once, by the reader, after its last read: no read can then use a reused descriptor number.
    func close() {
        writeLock.withLock { closed in
            guard !closed else { return }
            closed = true
            _ = Glibc.shutdown(descriptor, Int32(SHUT_RDWR))
            Glibc.close(descriptor)
        }
    }

    private func readExactly(_ buffer: inout [UInt8]) -> Bool {
        var filled = 0
        while filled < buffer.count {
            let count = buffer.withUnsafeMutableBytes { bytes in
                read(descriptor, bytes.baseAddress! + filled, bytes.count - filled)
            }
            if count > 0 {
                filled += count
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return false
            }
        }
        return true
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                Glibc.send(descriptor, buffer.baseAddress! + written, buffer.count - written, Int32(MSG_NOSIGNAL))
            }
            if count > 0 {
                written += count
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return false
            }
        }
        return true
    }
}
