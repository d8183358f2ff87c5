import NIOCore

/// The one frame that is not JSON: a piece of generated text, sent once per token, so the hot path costs a
/// copy instead of a JSON encoding and decoding. Its payload is a marker byte that no JSON text starts with,
/// the request id (8 bytes, big-endian), then the text's UTF-8 bytes.
enum RunnerTextFrame {
    static let marker: UInt8 = 0x01

    static func encode(id: UInt64, text: String) -> [UInt8] {
        var payload: [UInt8] = [marker]
        payload.reserveCapacity(9 + text.utf8.count)
        payload.append(
            contentsOf: stride(from: 56, through: 0, by: -8).map { UInt8(truncatingIfNeeded: id >> UInt64($0)) })
        payload.append(contentsOf: text.utf8)
        return payload
    }

    /// The id and text of a text frame; `nil` for any other payload.
    static func decode(_ payload: ByteBuffer) -> (id: UInt64, text: String)? {
        guard payload.readableBytes >= 9, payload.getInteger(at: payload.readerIndex, as: UInt8.self) == marker,
            let id = payload.getInteger(at: payload.readerIndex + 1, as: UInt64.self)
        else { return nil }
        let text = payload.getString(at: payload.readerIndex + 9, length: payload.readableBytes - 9) ?? ""
        return (id, text)
    }
}
