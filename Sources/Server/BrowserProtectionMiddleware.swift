import HTTPTypes
public import Hummingbird

/// Refuses, with a 403 before any handler runs, what only a hostile web page would send: a `Host` the server
/// does not answer to (DNS rebinding) and an `Origin` that is not allowed (a page on another site posting a
/// "simple" `text/plain` request, which browsers send without asking first). Requests without `Origin`, as
/// curl and the SDKs send them, are not affected by the origin check.
public struct BrowserProtectionMiddleware<Context: RequestContext>: RouterMiddleware {
    private let hosts: HostPolicy
    private let origins: OriginPolicy

    /// Creates the middleware for a server listening on `listenHost` on a machine called `hostname`.
    public init(access: AccessConfiguration, listenHost: String, hostname: String?) {
        hosts = HostPolicy(listenHost: listenHost, hostname: hostname, allowed: access.allowedHosts)
        origins = OriginPolicy(configured: access.allowedOrigins)
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        if let host = request.head.authority, !hosts.allows(host) {
            return AccessDenial.hostNotAllowed(host).response(to: request, context: context)
        }
        if request.headers.contains(.hostHeader),
            let host = request.headers[values: .hostHeader].first(where: { !hosts.allows($0) })
        {
            return AccessDenial.hostNotAllowed(host).response(to: request, context: context)
        }
        if let origin = request.headers[.origin], !origins.allows(origin) {
            return AccessDenial.originNotAllowed(origin).response(to: request, context: context)
        }
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    /// `Host`; HTTP/1 puts the first one in the request's authority, any further one stays a field.
    static let hostHeader = Self("host")!
}
