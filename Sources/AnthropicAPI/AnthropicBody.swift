import Hummingbird
import OrderedJSON

/// Reads a Messages request body: at most the server's limit (a 413 beyond it), UTF-8, one JSON value with
/// its members in the client's order; every failure a 400 in Anthropic's shape that says what is wrong.
enum AnthropicBody {
    static func read(_ request: inout Request, limit: Int) async throws(AnthropicError) -> JSONValue {
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw AnthropicError(
                status: .contentTooLarge, type: "request_too_large",
                message: "the request body is larger than the \(limit) bytes this server accepts")
        } catch {
            throw .invalidRequest("the request body is malformed: \(error)")
        }
        return try parse(Array(buffer.readableBytesView))
    }

    static func parse(_ bytes: [UInt8]) throws(AnthropicError) -> JSONValue {
        guard !bytes.isEmpty else { throw .invalidRequest("the request body is empty; send a JSON object") }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw .invalidRequest("the request body is not UTF-8")
        }
        do {
            return try JSONValue(parsing: bytes)
        } catch {
            throw .invalidRequest("the request body is not valid JSON: \(error)")
        }
    }
}
