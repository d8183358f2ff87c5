public import Hummingbird
import Logging
import OllamaAPI
import OpenAIAPI

/// Turns every error that reaches it into a JSON error with the right status: unknown routes become a
/// 404, a wrong method on a known path a 405 with `Allow`, and unexpected errors a 500, in Ollama's shape
/// under `/api` and OpenAI's elsewhere, instead of Hummingbird's empty bodies.
public struct ErrorMappingMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Creates the middleware.
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let ollama = request.uri.path.hasPrefix("/api/") || request.uri.path == "/api"
        do {
            return try await next(request, context)
        } catch let error as OpenAIError {
            throw error
        } catch let error as OllamaError {
            throw error
        } catch let error as MethodNotAllowedError {
            let message = "\(request.method) is not allowed on \(request.uri.path); use \(error.allowHeader)"
            var response =
                ollama
                ? try OllamaError(status: .methodNotAllowed, message: message).response(from: request, context: context)
                : try OpenAIError(status: .methodNotAllowed, message: message, type: "invalid_request_error")
                    .response(from: request, context: context)
            response.headers[.allow] = error.allowHeader
            return response
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            if ollama { throw OllamaError(status: .notFound, message: "404 page not found") }
            throw OpenAIError(
                status: .notFound, message: "no route for \(request.method) \(request.uri.path)",
                type: "not_found_error")
        } catch {
            if !(error is any HTTPResponseError) {
                context.logger.error("request failed: \(error)")
            }
            if ollama { throw OllamaError(any: error) }
            throw OpenAIError(any: error)
        }
    }
}
