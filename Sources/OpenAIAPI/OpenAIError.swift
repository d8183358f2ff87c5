import DialectSupport
import FoundationEssentials
public import Hummingbird
import InferenceCore
public import InferenceTypes

/// An error in OpenAI's wire shape: `{"error":{"message","type","param","code"}}` with its HTTP status.
public struct OpenAIError: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    /// What went wrong, for a person.
    public let message: String
    /// OpenAI's error type (`invalid_request_error`, `not_found_error`, ...).
    public let type: String
    /// The request field at fault, when there is one.
    public let param: String?
    /// A machine-readable code (`model_not_found`, ...).
    public let code: String?
    /// Seconds after which a retry may succeed (sent as `Retry-After`).
    public let retryAfterSeconds: Int?

    /// Creates an error.
    public init(
        status: HTTPResponse.Status, message: String, type: String, param: String? = nil, code: String? = nil,
        retryAfterSeconds: Int? = nil
    ) {
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// A 400 for a request that asks for something invalid.
    public static func invalidRequest(_ message: String, param: String? = nil) -> OpenAIError {
        OpenAIError(status: .badRequest, message: message, type: "invalid_request_error", param: param)
    }

    /// The error a core failure is reported as.
    public init(_ error: InferenceError) {
        switch error {
        case .modelNotFound(let name):
            self.init(
                status: .notFound, message: "The model '\(name)' does not exist", type: "not_found_error",
                param: "model", code: "model_not_found")
        case .runtimeUnavailable, .modelLoadFailed:
            self.init(status: .internalServerError, message: error.description, type: "server_error")
        case .busy(let seconds):
            self.init(
                status: .serviceUnavailable, message: error.description, type: "unavailable_error",
                retryAfterSeconds: seconds)
        case .contextOverflow:
            self.init(
                status: .badRequest, message: error.description, type: "exceed_context_size_error",
                param: "messages", code: "context_length_exceeded")
        case .invalidRequest(let message):
            self.init(status: .badRequest, message: message, type: "invalid_request_error")
        case .invalidResponseFormat(let message):
            self.init(status: .badRequest, message: message, type: "invalid_request_error", param: "response_format")
        case .cancelled:
            self.init(status: .init(code: 499), message: error.description, type: "cancelled")
        case .engineFailure:
            self.init(status: .internalServerError, message: error.description, type: "server_error")
        case .pullFailed(let reason, let kind):
            let status = kind.httpStatus
            self.init(
                status: status, message: reason, type: status.code < 500 ? "invalid_request_error" : "server_error")
        case .promptCacheNotFound:
            self.init(
                status: .notFound, message: error.description, type: "not_found_error", param: "use_cache",
                code: "prompt_cache_not_found")
        case .promptCacheMismatch(let reason):
            self.init(
                status: .conflict, message: reason, type: "invalid_request_error", param: "use_cache",
                code: "prompt_cache_mismatch")
        }
    }

    /// The error any thrown error is reported as.
    public init(any error: any Error) {
        switch error {
        case let error as OpenAIError: self = error
        case let error as InferenceError: self.init(error)
        case let error as HTTPError where error.status == .contentTooLarge:
            self.init(
                status: .contentTooLarge, message: "the request body is larger than the server accepts",
                type: "invalid_request_error")
        case let error as HTTPError:
            self.init(
                status: error.status, message: error.body ?? error.status.reasonPhrase,
                type: error.status.code >= 500 ? "server_error" : "invalid_request_error")
        case let error as any HTTPResponseError:
            self.init(
                status: error.status, message: error.status.reasonPhrase,
                type: error.status.code >= 500 ? "server_error" : "invalid_request_error")
        default:
            self.init(status: .internalServerError, message: "\(error)", type: "server_error")
        }
    }

    /// The JSON body `{"error":{...}}`.
    public var body: WireBody { WireBody(error: .init(message: message, type: type, param: param, code: code)) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let retryAfterSeconds { headers[.retryAfter] = "\(retryAfterSeconds)" }
        let data = (try? JSONEncoder().encode(body)) ?? Data(#"{"error":{"message":"error"}}"#.utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The wire form of an error.
    public struct WireBody: Codable, Sendable {
        /// The error object.
        public var error: Detail

        /// The fields of the error object; `param` and `code` are always present, `null` when unknown.
        public struct Detail: Codable, Sendable {
            public var message: String
            public var type: String
            public var param: String?
            public var code: String?

            public func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(message, forKey: .message)
                try container.encode(type, forKey: .type)
                try container.encode(param, forKey: .param)
                try container.encode(code, forKey: .code)
            }
        }
    }
}
