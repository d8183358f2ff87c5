import Hummingbird
import Logging
import NIOCore
import NIOHTTPTypes

/// Keeps one HTTP/1.1 connection from holding the server: it admits the connection against the server's cap
/// (answering 503 when every connection is busy), times out a request head or body that does not arrive and a
/// kept-alive connection left idle, and closes the connection after any response that says `Connection: close`,
/// a 408 or 413, or a request whose framing was malformed.
///
/// It sits after the HTTP codec, so it sees request and response parts; a read that completes no part still
/// counts as bytes arriving. A connection with a request in flight is never timed out here. Runs on the
/// channel's event loop only.
final class ConnectionGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// How long a closing connection keeps reading (and dropping) what the client still sends, so that the
    /// client reads the last response instead of a reset.
    static let lingerTime = TimeAmount.seconds(1)
    /// How long a body that timed out may take to be answered before the connection is closed anyway.
    static let timeoutAnswerTime = TimeAmount.seconds(5)

    private let timeouts: ConnectionTimeouts
    private let limits: ConnectionLimits
    private let limiter: ConnectionLimiter
    private let logger: Logger
    private var phase: ConnectionPhase?
    private var id: ConnectionLimiter.ID?
    private var reportedIdle = true
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?
    /// The connection closes once the response under way has ended.
    private var closeAfterResponse = false
    /// A body timed out; the timers are off while its 408 is answered.
    private var bodyTimedOut = false
    /// The connection is closing: whatever arrives is dropped.
    private var isClosing = false

    /// Creates the handler of one connection.
    init(limits: ConnectionLimits, limiter: ConnectionLimiter, logger: Logger) {
        self.limits = limits
        self.timeouts = ConnectionTimeouts(limits)
        self.limiter = limiter
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        finish()
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !isClosing else { return }
        let now = NIODeadline.now()
        switch unwrapInboundIn(data) {
        case .head: phase?.headArrived(at: now)
        case .body: phase?.bodyArrived(at: now)
        case .end: phase?.requestEnded(at: now)
        }
        reconcile(context: context)
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if !isClosing {
            phase?.bytesArrived(at: .now())
            reconcile(context: context)
        }
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !(error is IOError), !(error is ChannelError) {
            // The request could not be parsed: the connection cannot carry another one.
            closeAfterResponse = true
        }
        context.fireErrorCaught(error)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is ConnectionLimiter.MakeRoomEvent:
            if phase?.isIdle == true, !isClosing {
                logger.debug("closing an idle connection to make room for a new one")
                isClosing = true
                context.close(promise: nil)
            }
        case let event as ChannelEvent where event == .inputClosed && isClosing:
            context.close(promise: nil)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var response) where response.status.code >= 200:
            phase?.responseStarted()
            if response.headerFields[.connection]?.lowercased().contains("close") == true
                || [408, 413].contains(response.status.code)
            {
                closeAfterResponse = true
            }
            if closeAfterResponse { response.headerFields[.connection] = "close" }
            context.write(wrapOutboundOut(.head(response)), promise: promise)
        case .end:
            phase?.responseEnded(at: .now())
            guard closeAfterResponse, phase?.openRequests == 0 else {
                reconcile(context: context)
                context.write(data, promise: promise)
                return
            }
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.cascade(to: promise)
            context.write(data, promise: written)
            let loopBound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
            written.futureResult.whenComplete { _ in
                loopBound.value.handler.closeLingering(context: loopBound.value.context)
            }
        default:
            context.write(data, promise: promise)
        }
    }

    private func start(context: ChannelHandlerContext) {
        guard phase == nil else { return }
        let now = NIODeadline.now()
        phase = ConnectionPhase(now: now)
        switch limiter.admit(context.channel, now: now) {
        case .admitted(let id):
            self.id = id
            reconcile(context: context)
        case .refused:
            logger.debug("refusing a connection: \(limiter.maxConnections) connections are busy")
            respondAndClose(
                context: context, status: .serviceUnavailable, type: "unavailable_error",
                message: "the server has \(limiter.maxConnections) busy connections; retry shortly",
                extraHeaders: [.retryAfter: "1"])
        }
    }

    private func finish() {
        cancelTimer()
        if let id {
            limiter.remove(id)
            self.id = nil
        }
    }

    /// Tells the limiter whether the connection is idle and schedules the timeout that now applies.
    private func reconcile(context: ChannelHandlerContext) {
        guard let phase, !isClosing, !bodyTimedOut else { return }
        if let id, phase.isIdle != reportedIdle {
            reportedIdle = phase.isIdle
            limiter.setIdle(id, since: phase.isIdle ? phase.idleSince : nil)
        }
        guard let deadline = phase.wait(timeouts).deadline else {
            cancelTimer()
            return
        }
        // A timer due earlier re-checks when it fires; one due later must be brought forward.
        if let timerDeadline, timerDeadline <= deadline { return }
        schedule(at: deadline, context: context)
    }

    private func schedule(at deadline: NIODeadline, context: ChannelHandlerContext) {
        timer?.cancel()
        timerDeadline = deadline
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            timerDeadline = nil
            timerFired(context: context)
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
        timerDeadline = nil
    }

    private func timerFired(context: ChannelHandlerContext) {
        guard let phase, !isClosing, !bodyTimedOut else { return }
        let wait = phase.wait(timeouts)
        guard let deadline = wait.deadline else { return }
        guard deadline <= .now() else {
            schedule(at: deadline, context: context)
            return
        }
        switch wait {
        case .none:
            return
        case .idle:
            logger.debug("closing a kept-alive connection idle for \(limits.idleTimeout) s")
            isClosing = true
            context.close(promise: nil)
        case .header(_, bytesReceived: false):
            logger.debug("closing a connection that sent no request within \(limits.headerTimeout) s")
            isClosing = true
            context.close(promise: nil)
        case .header(_, bytesReceived: true):
            logger.debug("closing a connection whose request head took over \(limits.headerTimeout) s")
            respondAndClose(
                context: context, status: .requestTimeout, type: "invalid_request_error",
                message: "the request head did not arrive within \(Self.seconds(limits.headerTimeout)) s")
        case .body:
            logger.debug("a request body stalled for \(limits.bodyTimeout) s")
            guard phase.openRequests > 0 else {
                // The response has been sent and the rest of the body was only being drained.
                isClosing = true
                context.close(promise: nil)
                return
            }
            // The handler reading the body gets the error and answers 408; the connection then closes.
            bodyTimedOut = true
            closeAfterResponse = true
            context.fireErrorCaught(
                HTTPError(
                    .requestTimeout,
                    message: "the request body stalled for \(Self.seconds(limits.bodyTimeout)) s; send it faster"))
            timer = context.eventLoop.assumeIsolated().scheduleTask(in: Self.timeoutAnswerTime) {
                context.close(promise: nil)
            }
        }
    }

    /// Answers on a connection with no request in flight, then closes it.
    private func respondAndClose(
        context: ChannelHandlerContext, status: HTTPResponse.Status, type: String, message: String,
        extraHeaders: HTTPFields = [:]
    ) {
        isClosing = true
        cancelTimer()
        let body = ConnectionErrorBody.json(message: message, type: type)
        var headers: HTTPFields = [
            .contentType: "application/json", .contentLength: "\(body.readableBytes)", .connection: "close",
        ]
        headers.append(contentsOf: extraHeaders)
        context.write(wrapOutboundOut(.head(HTTPResponse(status: status, headerFields: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        let loopBound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            loopBound.value.handler.closeLingering(context: loopBound.value.context)
        }
    }

    /// Closes the output at once and the connection when the client closes its side, or after `lingerTime`.
    private func closeLingering(context: ChannelHandlerContext) {
        isClosing = true
        cancelTimer()
        context.close(mode: .output, promise: nil)
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: Self.lingerTime) {
            context.close(promise: nil)
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

@available(*, unavailable)
extension ConnectionGuardHandler: Sendable {}
