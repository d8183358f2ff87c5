import HummingbirdCore
import Logging
import NIOCore

extension HTTPServerBuilder {
    /// Hummingbird's HTTP/1.1 server with this server's handlers in every connection's pipeline.
    static func rockchipLlama(limits: ConnectionLimits, logger: Logger) -> HTTPServerBuilder {
        let limiter = ConnectionLimiter(maxConnections: limits.effectiveMaxConnections)
        return .http1(
            configuration: .init(
                additionalChannelHandlers: connectionHandlers(limits: limits, limiter: limiter, logger: logger)))
    }

    /// The handlers each new connection gets after the HTTP codec, in pipeline order (called once per
    /// connection). Add further per-connection handlers here.
    static func connectionHandlers(limits: ConnectionLimits, limiter: ConnectionLimiter, logger: Logger)
        -> [any RemovableChannelHandler]
    {
        [ConnectionGuardHandler(limits: limits, limiter: limiter, logger: logger), ClientDisconnectHandler()]
    }
}
