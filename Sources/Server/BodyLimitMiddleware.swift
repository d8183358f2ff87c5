public import Hummingbird

/// Answers 413 before reading the body of a request whose `Content-Length` is beyond the body limit; the
/// connection guard then closes the connection instead of reading the body. Blob uploads
/// (`POST /api/blobs/:digest`) are exempt: they are streamed to disk, never held in memory.
public struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The largest body accepted, in bytes.
    let maxBodyBytes: Int

    /// Creates the middleware.
    public init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBodyBytes,
            !request.uri.path.hasPrefix("/api/blobs/")
        {
            throw HTTPError(
                .contentTooLarge,
                message: "the request body of \(length) bytes is larger than the \(maxBodyBytes) bytes accepted")
        }
        return try await next(request, context)
    }
}
