import EngineSupport
import FoundationEssentials
import Glibc
import InferenceTypes
import OrderedJSON
import Synchronization

/// One end of a runner's Unix-domain socket: length-prefixed JSON frames, written whole by any thread and
/// read by one reader thread. A closed peer reads as the end of the stream and never raises SIGPIPE.
/// The reader thread closes the descriptor, exactly once, when it has read its last frame.
final class FrameChannel: Sendable {
    /// Frames larger than this are refused: a corrupted length must not make the reader allocate gigabytes.
    static let maxFrameBytes = 256 << 20

    let descriptor: Int32
    /// Held while writing; `true` once the descriptor is closed, after which nothing is written.
    private let writeLock = Mutex(false)

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Sends one message as JSON; throws when the peer is gone.
    func send(_ message: some Encodable) throws(InferenceError) {
        let payload: Data
        do {
            payload = try Self.encoder().encode(message)
        } catch {
            throw .engineFailure("cannot encode a runner message: \(error)")
        }
        try send(payload: payload)
    }

    /// Sends one frame holding `payload`; throws when the peer is gone.
    func send(payload: some Collection<UInt8>) throws(InferenceError) {
        var frame = [UInt8]()
        frame.reserveCapacity(payload.count + 4)
        let length = UInt32(payload.count)
        frame.append(contentsOf: [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: length >> $0) })
        frame.append(contentsOf: payload)
        let sent = writeLock.withLock { closed in !closed && Self.writeAll(frame, to: descriptor) }
        guard sent else { throw .engineFailure("the model's runner process is gone") }
    }

    /// The next JSON message, or `nil` when the peer closed its end (or sent something unreadable).
    func receive<Message: Decodable>(_ type: Message.Type) -> Message? {
        receivePayload().flatMap { Self.decode(Message.self, from: $0) }
    }

    /// The payload of the next frame, or `nil` when the peer closed its end (or sent an oversized length).
    func receivePayload() -> [UInt8]? {
        var header = [UInt8](repeating: 0, count: 4)
        guard readExactly(&header) else { return nil }
        let length = header.reduce(0) { $0 << 8 | Int($1) }
        guard length <= Self.maxFrameBytes else { return nil }
        var payload = [UInt8](repeating: 0, count: length)
        guard readExactly(&payload) else { return nil }
        return payload
    }

    /// A JSON payload decoded, or `nil` when it is not that message.
    static func decode<Message: Decodable>(_ type: Message.Type, from payload: [UInt8]) -> Message? {
        try? decoder().decode(Message.self, from: Data(payload))
    }

    /// Closes this end (the peer reads the end of the stream) and frees the descriptor; later sends fail.
    /// Called once, by the reader, after its last read: no read can then use a reused descriptor number.
    func close() {
        writeLock.withLock { closed in
            guard !closed else { return }
            closed = true
            shutdown(descriptor, Int32(SHUT_RDWR))
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

    // JSON values (tools, template variables) cross as text so that their key order survives.
    private static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.userInfo[JSONValue.asTextKey] = true
        return encoder
    }

    private static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.userInfo[JSONValue.asTextKey] = true
        return decoder
    }
}
