import DialectSupport
import FoundationEssentials
public import Hummingbird
import OrderedJSON

/// Reads a JSON request body with a size limit and turns every failure into a 400 or a 413 that names
/// the field at fault.
public enum JSONRequestDecoding {
    /// Collects the body (413 beyond `limit` bytes) and decodes it; an empty body is `ifEmpty` when given.
    public static func decode<Value: Decodable>(
        _ type: Value.Type, from request: inout Request, limit: Int, ifEmpty: Value? = nil
    ) async throws -> Value {
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw OpenAIError(
                status: .contentTooLarge, message: "the request body is larger than \(limit) bytes",
                type: "invalid_request_error")
        } catch let error as any HTTPResponseError {
            throw OpenAIError(any: error)
        } catch {
            // Only the body's HTTP framing (a bad chunk, a short body) fails a read that the client did not end.
            throw OpenAIError.invalidRequest("the request body is malformed: \(error)")
        }
        if buffer.readableBytes == 0, let ifEmpty { return ifEmpty }
        return try decode(type, from: Data(buffer.readableBytesView))
    }

    /// Decodes JSON, mapping decoding failures to a 400 naming the field.
    static func decode<Value: Decodable>(_ type: Value.Type, from data: Data) throws -> Value {
        guard !data.isEmpty else { throw OpenAIError.invalidRequest("the request body is empty; send a JSON object") }
        do {
            return RequestDocument.attach(to: try JSONDecoder().decode(type, from: data), from: data)
        } catch let error as DecodingError {
            switch JSONBodyDiagnosis.diagnose(type, from: data) {
            case .notUTF8(let offset):
                throw OpenAIError.invalidRequest("the request body is not UTF-8 (invalid byte at offset \(offset))")
            case .notJSON(let reason):
                throw OpenAIError.invalidRequest("the request body is not valid JSON: \(reason)")
            case .invalidField(let precise):
                throw OpenAIError.invalidRequest(describe(precise), param: path(of: precise))
            case .unknown:
                throw OpenAIError.invalidRequest(describe(error), param: path(of: error))
            }
        } catch let error as OpenAIError {
            throw error
        }
    }

    private static func path(of error: DecodingError) -> String? {
        let context: DecodingError.Context
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): context = c
        case .keyNotFound(let key, let c): return (c.codingPath + [key]).dottedPath
        @unknown default: return nil
        }
        return context.codingPath.isEmpty ? nil : context.codingPath.dottedPath
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "missing required field '\((context.codingPath + [key]).dottedPath)'"
        case .typeMismatch(let type, let context):
            return "field '\(context.codingPath.dottedPath)' has the wrong type (expected \(typeName(type)))"
        case .valueNotFound(let type, let context):
            return "field '\(context.codingPath.dottedPath)' must not be null (expected \(typeName(type)))"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "the request body is not valid JSON" }
            return "field '\(context.codingPath.dottedPath)' is invalid: \(context.debugDescription)"
        @unknown default:
            return "the request body could not be read"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int32.Type, is UInt32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "a boolean"
        default: "\(type)".contains("Array") ? "an array" : "an object"
        }
    }
}

extension [any CodingKey] {
    fileprivate var dottedPath: String {
        map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            .replacing(".[", with: "[")
    }
}
