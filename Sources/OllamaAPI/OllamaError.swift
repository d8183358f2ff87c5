import DialectSupport
import FoundationEssentials
public import Hummingbird
import InferenceCore
public import InferenceTypes

/// An error in Ollama's wire shape, `{"error":"..."}`, with Ollama's status for it.
public struct OllamaError: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    /// The message clients show.
    public let message: String
    /// Seconds after which a retry may succeed (sent as `Retry-After`).
    public let retryAfterSeconds: Int?

    /// Creates an error.
    public init(status: HTTPResponse.Status, message: String, retryAfterSeconds: Int? = nil) {
        self.status = status
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// A 400 for a request that cannot be served.
    public static func badRequest(_ message: String) -> OllamaError {
        OllamaError(status: .badRequest, message: message)
    }

    /// The error a core failure is reported as.
    public init(_ error: InferenceError) {
        switch error {
        case .modelNotFound(let name):
            self.init(status: .notFound, message: "model \"\(name)\" not found, try pulling it first")
        case .runtimeUnavailable, .modelLoadFailed, .engineFailure:
            self.init(status: .internalServerError, message: error.description)
        case .busy(let seconds):
            self.init(
                status: .serviceUnavailable,
                message: "server busy, please try again.  maximum pending requests exceeded",
                retryAfterSeconds: seconds)
        case .contextOverflow, .invalidRequest, .invalidResponseFormat:
            self.init(status: .badRequest, message: error.description)
        case .cancelled:
            self.init(status: .init(code: 499), message: error.description)
        case .pullFailed(let reason, let kind):
            self.init(status: kind.httpStatus, message: reason)
        case .promptCacheNotFound:
            self.init(status: .notFound, message: error.description)
        case .promptCacheMismatch(let reason):
            self.init(status: .conflict, message: reason)
        }
    }

    /// The error any thrown error is reported as.
    public init(any error: any Error) {
        switch error {
        case let error as OllamaError: self = error
        case let error as InferenceError: self.init(error)
        case let error as HTTPError:
            self.init(status: error.status, message: error.body ?? error.status.reasonPhrase)
        case let error as any HTTPResponseError where error.status == .contentTooLarge:
            self.init(status: .contentTooLarge, message: "the request body is larger than the server accepts")
        case let error as any HTTPResponseError:
            self.init(status: error.status, message: error.status.reasonPhrase)
        default:
            self.init(status: .internalServerError, message: "\(error)")
        }
    }

    /// The body as one NDJSON line, for an error in the middle of a stream.
    public var line: ByteBuffer {
        var buffer = ByteBuffer(
            bytes: (try? JSONEncoder().encode(["error": message])) ?? Data(#"{"error":"error"}"#.utf8))
        buffer.writeString("\n")
        return buffer
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let retryAfterSeconds { headers[.retryAfter] = "\(retryAfterSeconds)" }
        let body = (try? JSONEncoder().encode(["error": message])) ?? Data(#"{"error":"error"}"#.utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
