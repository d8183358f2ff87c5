import DialectSupport
import NIOCore
import Synchronization

/// Watches one HTTP connection for its client going away (closing its side, or the connection dropping) and
/// marks the connection's `ClientConnection` closed, which stops the generations its requests run.
///
/// It sits in the connection's pipeline after HTTP decoding and passes everything through. Hummingbird
/// allows half-closed connections, so a client that closes its side arrives as `ChannelEvent.inputClosed`,
/// not as the channel going inactive.
final class ClientDisconnectHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = Any

    private let connection = ClientConnection()
    private var registered: ObjectIdentifier?

    func handlerAdded(context: ChannelHandlerContext) {
        let key = ObjectIdentifier(context.channel)
        registered = key
        ClientConnections.shared.insert(connection, for: key)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        unregister()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed? = event as? ChannelEvent { connection.markClosed() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        connection.markClosed()
        unregister()
        context.fireChannelInactive()
    }

    private func unregister() {
        guard let key = registered else { return }
        registered = nil
        ClientConnections.shared.remove(key)
    }
}

/// The connections open now, by channel, so that a request's context can find its own.
final class ClientConnections: Sendable {
    static let shared = ClientConnections()

    private let byChannel = Mutex<[ObjectIdentifier: ClientConnection]>([:])

    func insert(_ connection: ClientConnection, for channel: ObjectIdentifier) {
        byChannel.withLock { $0[channel] = connection }
    }

    func remove(_ channel: ObjectIdentifier) {
        byChannel.withLock { _ = $0.removeValue(forKey: channel) }
    }

    /// The connection of `channel`, while it is open.
    func connection(of channel: any Channel) -> ClientConnection? {
        byChannel.withLock { $0[ObjectIdentifier(channel)] }
    }
}
