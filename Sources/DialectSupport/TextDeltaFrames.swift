public import NIOCore

/// The stream frames of text deltas, rendered once per stream: from token to token only the text changes,
/// so each frame is a fixed prefix, the escaped text and a fixed suffix. This keeps the per-token work of
/// the server small, which matters on a board whose cores are all busy decoding.
public struct TextDeltaFrames: Sendable {
    /// Why frames could not be prepared: the rendered frame did not contain the text as a JSON string.
    public struct RenderError: Error {}

    private static let marker = "ROCKCHIPLLAMATEXTDELTAMARKER"
    private let prefix: [UInt8]
    private let suffix: [UInt8]

    /// Renders a whole frame whose text is a marker, with `render`, and splits it around the marker.
    public init(render: (String) throws -> ByteBuffer) throws {
        let rendered = Array(try render(Self.marker).readableBytesView)
        let quotedMarker = Array("\"\(Self.marker)\"".utf8)
        guard let start = rendered.firstRange(of: quotedMarker) else { throw RenderError() }
        prefix = Array(rendered[..<start.lowerBound])
        suffix = Array(rendered[start.upperBound...])
    }

    /// The frame that carries `text`.
    public func frame(_ text: String) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(prefix.count + suffix.count + text.utf8.count + 8)
        buffer.writeBytes(prefix)
        JSONString.write(text, to: &buffer)
        buffer.writeBytes(suffix)
        return buffer
    }
}

/// Writes a Swift string as a JSON string literal.
public enum JSONString {
    private static let hex = Array("0123456789abcdef".utf8)

    /// Appends `text`, quoted and escaped, to `buffer`.
    public static func write(_ text: String, to buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): buffer.writeString("\\\"")
            case UInt8(ascii: "\\"): buffer.writeString("\\\\")
            case UInt8(ascii: "\n"): buffer.writeString("\\n")
            case UInt8(ascii: "\r"): buffer.writeString("\\r")
            case UInt8(ascii: "\t"): buffer.writeString("\\t")
            case 0..<0x20:
                buffer.writeString("\\u00")
                buffer.writeInteger(hex[Int(byte >> 4)])
                buffer.writeInteger(hex[Int(byte & 0xF)])
            default: buffer.writeInteger(byte)
            }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }
}
