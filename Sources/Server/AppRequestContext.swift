public import DialectSupport
public import Hummingbird

/// The per-request context of the server.
public struct AppRequestContext: RequestContext, ClientConnectionContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection the request came in on; `nil` for requests that did not come over a socket.
    public let clientConnection: ClientConnection?

    public init(source: Source) {
        coreContext = .init(source: source)
        clientConnection = ClientConnections.shared.connection(of: source.channel)
    }

    /// Bodies are read by the handlers with the configured limit; this only bounds the framework's own reads.
    public var maxUploadSize: Int { 64 << 20 }
}
