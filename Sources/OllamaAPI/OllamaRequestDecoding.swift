import DialectSupport
import FoundationEssentials
import Hummingbird

/// Reads an Ollama request body with a size limit; failures become a 400 (or 413) in Ollama's shape.
enum OllamaRequestDecoding {
    static func decode<Value: Decodable>(_ type: Value.Type, from request: inout Request, limit: Int) async throws
        -> Value
    {
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw OllamaError(status: .contentTooLarge, message: "the request body is larger than \(limit) bytes")
        } catch let error as any HTTPResponseError {
            throw OllamaError(any: error)
        } catch {
            // Only the body's HTTP framing (a bad chunk, a short body) fails a read that the client did not end.
            throw OllamaError.badRequest("the request body is malformed: \(error)")
        }
        guard buffer.readableBytes > 0 else { throw OllamaError.badRequest("missing request body") }
        do {
            let data = Data(buffer.readableBytesView)
            return RequestDocument.attach(to: try JSONDecoder().decode(type, from: data), from: data)
        } catch let error as DecodingError {
            switch JSONBodyDiagnosis.diagnose(type, from: Data(buffer.readableBytesView)) {
            case .notUTF8(let offset):
                throw OllamaError.badRequest("the request body is not UTF-8 (invalid byte at offset \(offset))")
            case .notJSON(let reason): throw OllamaError.badRequest("invalid JSON in the request body: \(reason)")
            case .invalidField(let precise): throw OllamaError.badRequest(describe(precise))
            case .unknown: throw OllamaError.badRequest(describe(error))
            }
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let prefix = path(context)
            return "\(prefix.isEmpty ? "" : prefix + ".")\(key.stringValue) is required"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "invalid value for \(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "invalid JSON in the request body" : "invalid value for \(path(context)): \(context.debugDescription)"
        @unknown default:
            return "invalid request body"
        }
    }
}
