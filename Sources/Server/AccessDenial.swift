import FoundationEssentials
import Hummingbird
import OllamaAPI
import OpenAIAPI

/// Why access control refused a request; it answers in the error shape of the request's API.
enum AccessDenial: Error, Sendable {
    /// The route needs an API key and the request sent none.
    case missingKey
    /// The request sent a key that is not one of the server's.
    case wrongKey
    /// A browser sent the request from a page whose origin is not allowed.
    case originNotAllowed(String)
    /// The request named a host the server does not answer to (a DNS-rebinding attempt, or a name to allow).
    case hostNotAllowed(String)

    /// 401 for a key, 403 for an origin or host.
    var status: HTTPResponse.Status {
        switch self {
        case .missingKey, .wrongKey: .unauthorized
        case .originNotAllowed, .hostNotAllowed: .forbidden
        }
    }

    /// What went wrong, for a person.
    var message: String {
        switch self {
        case .missingKey:
            "You didn't provide an API key. Send it as 'Authorization: Bearer <key>' or as 'x-api-key: <key>'."
        case .wrongKey:
            "Incorrect API key provided."
        case .originNotAllowed(let origin):
            "Requests from the web origin '\(origin)' are not allowed; start the server with "
                + "--allowed-origin \(origin) to allow them."
        case .hostNotAllowed(let host):
            "This server does not answer to the host name '\(host)'; start it with --allowed-host \(host) "
                + "if that name is yours."
        }
    }

    /// The answer to `request`, in the shape of its path's dialect; 401s carry `WWW-Authenticate: Bearer`.
    func response(to request: Request, context: some RequestContext) -> Response {
        var response: Response
        switch ErrorDialect(path: request.uri.path) {
        case .openAI:
            let type = status == .unauthorized ? "invalid_request_error" : "permission_error"
            let code = status == .unauthorized ? "invalid_api_key" : nil
            let error = OpenAIError(status: status, message: message, type: type, code: code)
            response = (try? error.response(from: request, context: context)) ?? Response(status: status)
        case .ollama:
            let error = OllamaError(status: status, message: message)
            response = (try? error.response(from: request, context: context)) ?? Response(status: status)
        case .anthropic:
            response = anthropicResponse()
        }
        if status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
        return response
    }

    /// Anthropic's `{"type":"error","error":{"type":"authentication_error","message":...}}`.
    private func anthropicResponse() -> Response {
        struct Body: Encodable {
            struct Detail: Encodable {
                var type: String
                var message: String
            }
            var type = "error"
            var error: Detail
        }
        let type = status == .unauthorized ? "authentication_error" : "permission_error"
        let data = (try? JSONEncoder().encode(Body(error: .init(type: type, message: message)))) ?? Data()
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
