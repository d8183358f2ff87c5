public import Hummingbird

/// The per-request context of the server.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    /// Bodies are read by the handlers with the configured limit; this only bounds the framework's own reads.
    public var maxUploadSize: Int { 64 << 20 }
}
