import FoundationEssentials
public import Hummingbird

/// Encodes `data: <json>\n\n` frames, the framing of every `/v1` stream.
public struct ServerSentEvents: Sendable {
    private let encoder: JSONEncoder

    /// Creates an encoder.
    public init() {
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    /// One event carrying a JSON value.
    public func event(_ value: some Encodable) throws -> ByteBuffer {
        var buffer = ByteBuffer(string: "data: ")
        buffer.writeBytes(try encoder.encode(value))
        buffer.writeString("\n\n")
        return buffer
    }

    /// The event that ends a stream.
    public static let done = ByteBuffer(string: "data: [DONE]\n\n")

    /// The headers of an event stream. The connection ends with the stream (watching for a client that
    /// goes away consumes it), so clients are told not to reuse it.
    public static let headers: HTTPFields = [
        .contentType: "text/event-stream", .cacheControl: "no-cache", .connection: "close",
    ]
}
