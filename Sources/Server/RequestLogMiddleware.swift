import FoundationEssentials
public import Hummingbird
import InferenceCore
import InferenceTypes
import Logging

/// Logs one line per request when its answer starts: method, path, status and time taken.
public struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Creates the middleware.
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let start = MonotonicClock.now()
        do {
            let response = try await next(request, context)
            log(request, context: context, status: response.status.code, start: start)
            return response
        } catch let error as any HTTPResponseError {
            log(request, context: context, status: error.status.code, start: start)
            throw error
        } catch {
            log(request, context: context, status: 500, start: start)
            throw error
        }
    }

    private func log(_ request: Request, context: Context, status: Int, start: UInt64) {
        let tenths = MonotonicClock.since(start) / 100_000
        context.logger.info(
            "\(request.method) \(request.uri.path) \(status) \(tenths / 10).\(tenths % 10)ms",
            metadata: ["http.status": "\(status)"])
    }
}
