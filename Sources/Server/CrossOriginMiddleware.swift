import HTTPTypes
public import Hummingbird

/// CORS for the allowed browser origins: answers their preflights (`OPTIONS` with
/// `Access-Control-Request-Method`) with 204 and the methods and headers the OpenAI, Anthropic and Ollama
/// clients send, without asking for a key, and marks every other answer to them, errors included, with
/// `Access-Control-Allow-Origin` (the origin echoed) and `Vary: Origin`. Requests from other origins are
/// left to `BrowserProtectionMiddleware`, which refuses them; requests without `Origin` pass untouched.
public struct CrossOriginMiddleware<Context: RequestContext>: RouterMiddleware {
    private let origins: OriginPolicy
    private let allowedHeaders = Self.allowedHeaderNames.joined(separator: ", ")

    /// The request headers a page may send: what the OpenAI SDKs (and every Stainless-generated SDK, such
    /// as Anthropic's) and Ollama's clients put on their requests.
    static var allowedHeaderNames: [String] {
        [
            "Authorization", "Content-Type", "Accept", "User-Agent", "X-Requested-With", "x-api-key",
            "OpenAI-Beta", "OpenAI-Organization", "OpenAI-Project", "Idempotency-Key",
            "anthropic-version", "anthropic-beta", "anthropic-dangerous-direct-browser-access",
            "x-stainless-arch", "x-stainless-async", "x-stainless-custom-poll-interval",
            "x-stainless-helper-method", "x-stainless-lang", "x-stainless-os", "x-stainless-package-version",
            "x-stainless-poll-helper", "x-stainless-raw-response", "x-stainless-read-timeout",
            "x-stainless-retry-count", "x-stainless-runtime", "x-stainless-runtime-version", "x-stainless-timeout",
        ]
    }

    /// The methods the routes use.
    static var allowedMethods: String { "GET, HEAD, POST, DELETE, OPTIONS" }

    /// How long a browser may reuse a preflight's answer: two hours, Chromium's ceiling.
    static var maxAgeSeconds: String { "7200" }

    /// Creates the middleware for `access`'s origins.
    public init(access: AccessConfiguration) {
        origins = OriginPolicy(configured: access.allowedOrigins)
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        guard let origin = request.headers[.origin], origins.allows(origin) else {
            return try await next(request, context)
        }
        if request.method == .options, request.headers.contains(.accessControlRequestMethod) {
            return Response(
                status: .noContent,
                headers: [
                    .accessControlAllowOrigin: origin, .accessControlAllowMethods: Self.allowedMethods,
                    .accessControlAllowHeaders: allowedHeaders, .accessControlMaxAge: Self.maxAgeSeconds,
                    .vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
                ])
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.accessControlAllowOrigin] = origin
        response.headers.append(HTTPField(name: .vary, value: "Origin"))
        return response
    }
}
