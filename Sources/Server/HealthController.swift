import FoundationEssentials
public import Hummingbird

/// `GET /health` (and `/v1/health`): 200 `{"status":"ok"}` when the server can serve, 503 while the
/// start-up model is still loading.
public struct HealthController<Context: RequestContext>: Sendable {
    let readiness: Readiness

    /// Creates the controller.
    public init(readiness: Readiness) {
        self.readiness = readiness
    }

    /// Adds the routes.
    public func addRoutes(to router: Router<Context>) {
        router.get("health", use: health)
        router.get("v1/health", use: health)
    }

    @Sendable func health(request: Request, context: Context) async throws -> Response {
        if readiness.isReady {
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        return Response(
            status: .serviceUnavailable, headers: [.contentType: "application/json", .retryAfter: "1"],
            body: .init(
                byteBuffer: ByteBuffer(
                    string: #"{"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}"#)))
    }
}
