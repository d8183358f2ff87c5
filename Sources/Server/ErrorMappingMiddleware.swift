import AnthropicAPI
public import Hummingbird
import Logging
import OllamaAPI
import OpenAIAPI

/// Turns every error that reaches it into a JSON error with the right status: unknown routes become a
/// 404, a wrong method on a known path a 405 with `Allow`, and unexpected errors a 500, in the shape of the
/// path's dialect (`ErrorDialect`: Ollama's under `/api`, Anthropic's under `/v1/messages`, OpenAI's elsewhere),
/// instead of Hummingbird's empty bodies.
public struct ErrorMappingMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Creates the middleware.
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let dialect = ErrorDialect(path: request.uri.path)
        do {
            return try await next(request, context)
        } catch let error as OpenAIError {
            throw error
        } catch let error as OllamaError {
            throw error
        } catch let error as AnthropicError {
            throw error
        } catch let error as MethodNotAllowedError {
            let message = "\(request.method) is not allowed on \(request.uri.path); use \(error.allowHeader)"
            var response: Response
            switch dialect {
            case .ollama:
                response = try OllamaError(status: .methodNotAllowed, message: message)
                    .response(from: request, context: context)
            case .anthropic:
                response = try AnthropicError(status: .methodNotAllowed, message: message)
                    .response(from: request, context: context)
            case .openAI:
                response = try OpenAIError(status: .methodNotAllowed, message: message, type: "invalid_request_error")
                    .response(from: request, context: context)
            }
            response.headers[.allow] = error.allowHeader
            return response
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            let message = "no route for \(request.method) \(request.uri.path)"
            switch dialect {
            case .ollama: throw OllamaError(status: .notFound, message: "404 page not found")
            case .anthropic: throw AnthropicError(status: .notFound, message: message)
            case .openAI: throw OpenAIError(status: .notFound, message: message, type: "not_found_error")
            }
        } catch {
            if !(error is any HTTPResponseError) {
                context.logger.error("request failed: \(error)")
            }
            switch dialect {
            case .ollama: throw OllamaError(any: error)
            case .anthropic: throw AnthropicError(any: error)
            case .openAI: throw OpenAIError(any: error)
            }
        }
    }
}
