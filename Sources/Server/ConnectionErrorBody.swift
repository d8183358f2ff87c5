import FoundationEssentials
import Hummingbird
import NIOCore
import OpenAIAPI

/// The body of a response the connection guard writes itself, before any route has seen a request: OpenAI's
/// error shape, `{"error":{"message","type","param","code"}}`, whose `error` Ollama clients show too.
enum ConnectionErrorBody {
    /// The JSON of an error with `message` and OpenAI's `type`.
    static func json(message: String, type: String) -> ByteBuffer {
        let body = OpenAIError(status: .badRequest, message: message, type: type).body
        return ByteBuffer(bytes: (try? JSONEncoder().encode(body)) ?? Data(#"{"error":{"message":"error"}}"#.utf8))
    }
}
