import FoundationEssentials
public import Hummingbird

/// A 200 answer with a JSON body, as every dialect's non-streamed routes give.
public enum JSONResponse {
    /// Encodes `value` (sorted keys, unescaped slashes); the router answers HEAD with the headers alone.
    public static func make(_ value: some Encodable, contentType: String = "application/json") throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = ByteBuffer(bytes: try encoder.encode(value))
        return Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: body))
    }
}
