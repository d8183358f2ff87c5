import HTTPTypes
public import Hummingbird

/// Asks every request for one of the server's API keys, as `Authorization: Bearer <key>` or `x-api-key: <key>`,
/// and answers 401 in the dialect of the path without one. `GET`/`HEAD` of `/`, `/health` and `/v1/health`
/// stay open, so that liveness probes and Ollama's "is it running" check need no key. With no key configured
/// every request passes.
public struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    private let keys: APIKeySet

    /// The paths that need no key for `GET` and `HEAD`.
    static var openPaths: Set<String> { ["/", "/health", "/v1/health"] }

    /// Creates the middleware accepting `keys`.
    public init(keys: [String]) {
        self.keys = APIKeySet(keys)
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        guard !keys.isEmpty, !Self.isOpen(request) else { return try await next(request, context) }
        let presented = Self.presentedKeys(request)
        guard !presented.isEmpty else { return AccessDenial.missingKey.response(to: request, context: context) }
        guard presented.contains(where: keys.contains) else {
            return AccessDenial.wrongKey.response(to: request, context: context)
        }
        return try await next(request, context)
    }

    static func isOpen(_ request: Request) -> Bool {
        (request.method == .get || request.method == .head) && openPaths.contains(request.uri.path)
    }

    /// The keys a request sends: the token of `Authorization: Bearer`, then `x-api-key`.
    static func presentedKeys(_ request: Request) -> [Substring] {
        var keys: [Substring] = []
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                keys.append(parts[1].drop { $0 == " " })
            }
        }
        if let key = request.headers[.xAPIKey], !key.isEmpty { keys.append(Substring(key)) }
        return keys
    }
}

extension HTTPField.Name {
    /// `x-api-key`, the header Anthropic's clients send their key in.
    static let xAPIKey = Self("x-api-key")!
}
