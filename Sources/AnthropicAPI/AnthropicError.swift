import DialectSupport
public import Hummingbird
public import InferenceTypes
public import OrderedJSON

/// An error in Anthropic's wire shape, `{"type":"error","error":{"type","message"}}`, with its HTTP status:
/// 400 `invalid_request_error`, 401 `authentication_error`, 403 `permission_error`, 404 `not_found_error`,
/// 413 `request_too_large`, 429 `rate_limit_error`, 500 `api_error`, 529 `overloaded_error` (the server is busy).
public struct AnthropicError: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    /// Anthropic's error type.
    public let type: String
    /// What went wrong, for a person.
    public let message: String
    /// Seconds after which a retry may succeed (sent as `Retry-After`).
    public let retryAfterSeconds: Int?

    /// Creates an error.
    public init(status: HTTPResponse.Status, type: String, message: String, retryAfterSeconds: Int? = nil) {
        self.status = status
        self.type = type
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// An error of `status` with the type Anthropic gives that status.
    public init(status: HTTPResponse.Status, message: String) {
        self.init(status: status, type: Self.type(of: status), message: message)
    }

    /// A 400 for a request that asks for something invalid.
    public static func invalidRequest(_ message: String) -> AnthropicError {
        AnthropicError(status: .badRequest, type: "invalid_request_error", message: message)
    }

    /// Anthropic's error type for an HTTP status.
    public static func type(of status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400, 405, 409, 422: "invalid_request_error"
        case 401: "authentication_error"
        case 403: "permission_error"
        case 404: "not_found_error"
        case 413: "request_too_large"
        case 429: "rate_limit_error"
        case 503, 529: "overloaded_error"
        case 400..<500: "invalid_request_error"
        default: "api_error"
        }
    }

    /// The error a core failure is reported as.
    public init(_ error: InferenceError) {
        switch error {
        case .modelNotFound(let name):
            self.init(status: .notFound, type: "not_found_error", message: "model: \(name) (\(error))")
        case .runtimeUnavailable, .modelLoadFailed, .engineFailure:
            self.init(status: .internalServerError, type: "api_error", message: error.description)
        case .busy(let seconds):
            // Anthropic's "overloaded", which its clients retry after a while.
            self.init(
                status: .init(code: 529, reasonPhrase: "Overloaded"), type: "overloaded_error",
                message: error.description, retryAfterSeconds: seconds)
        case .contextOverflow(let prompt, let context):
            // Anthropic's wording, which Claude Code looks for to compact the conversation.
            self.init(
                status: .badRequest, type: "invalid_request_error",
                message: "prompt is too long: \(prompt) tokens > \(context) maximum (\(error))")
        case .invalidRequest(let message), .invalidResponseFormat(let message):
            self.init(status: .badRequest, type: "invalid_request_error", message: message)
        case .cancelled:
            self.init(status: .init(code: 499), type: "api_error", message: error.description)
        case .pullFailed(let reason, let kind):
            self.init(status: kind.httpStatus, message: reason)
        case .promptCacheNotFound:
            self.init(status: .notFound, type: "not_found_error", message: error.description)
        case .promptCacheMismatch(let reason):
            self.init(status: .conflict, type: "invalid_request_error", message: reason)
        }
    }

    /// The error any thrown error is reported as.
    public init(any error: any Error) {
        switch error {
        case let error as AnthropicError: self = error
        case let error as InferenceError: self.init(error)
        case let error as HTTPError where error.status == .contentTooLarge:
            self.init(
                status: .contentTooLarge, type: "request_too_large",
                message: error.body ?? "the request body is larger than the server accepts")
        case let error as HTTPError:
            self.init(status: error.status, message: error.body ?? error.status.reasonPhrase)
        case let error as any HTTPResponseError:
            self.init(status: error.status, message: error.status.reasonPhrase)
        default:
            self.init(status: .internalServerError, type: "api_error", message: "\(error)")
        }
    }

    /// The JSON body, `{"type":"error","error":{"type","message"}}`.
    public var body: JSONValue {
        ["type": "error", "error": ["type": .string(type), "message": .string(message)]]
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let retryAfterSeconds { headers[.retryAfter] = "\(retryAfterSeconds)" }
        return Response(
            status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body.serialized())))
    }
}
