import FoundationEssentials
import Hummingbird

/// Newline-delimited JSON, the framing of every `/api` stream: one compact object per line.
enum NDJSON {
    /// The headers of an NDJSON stream. The connection ends with the stream (watching for a client that
    /// goes away consumes it), so clients are told not to reuse it.
    static let headers: HTTPFields = [.contentType: "application/x-ndjson", .connection: "close"]

    /// One object and its newline.
    static func line(_ value: any Encodable) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        var buffer = ByteBuffer(bytes: try encoder.encode(value))
        buffer.writeString("\n")
        return buffer
    }
}
