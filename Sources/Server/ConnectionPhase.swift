import NIOCore

/// Where one HTTP/1.1 connection is in its request/response cycle, and so which timeout, if any, applies.
///
/// A connection is busy from the head of a request until the end of its response, and only the body of a
/// request being read (while no response is under way) or the head of the next request can time out: a slow
/// answer or a long stream is never cut here.
struct ConnectionPhase {
    /// Requests whose head has arrived and whose response has not ended.
    private(set) var openRequests = 0
    /// A request head has arrived and its end not yet.
    private(set) var isReadingRequest = false
    /// A response head has been written and its end not yet.
    private(set) var isResponding = false
    /// A response has ended on this connection, so it is a kept-alive one.
    private(set) var hasServedResponse = false
    /// When the connection last became idle: its accept, or the end of its last exchange.
    private(set) var idleSince: NIODeadline
    /// When bytes of the next request head first arrived since the connection became idle.
    private(set) var headStartedAt: NIODeadline?
    /// When bytes of the body being read last arrived.
    private(set) var lastBodyReadAt: NIODeadline

    /// The timeout that applies now.
    enum Wait: Equatable {
        /// Nothing can time out: a request is being answered.
        case none
        /// A kept-alive connection waits for its next request.
        case idle(NIODeadline)
        /// The head of a request is being awaited or read.
        case header(NIODeadline, bytesReceived: Bool)
        /// A request body is being read.
        case body(NIODeadline)

        /// When it runs out.
        var deadline: NIODeadline? {
            switch self {
            case .none: nil
            case .idle(let deadline), .header(let deadline, _), .body(let deadline): deadline
            }
        }
    }

    init(now: NIODeadline) {
        idleSince = now
        lastBodyReadAt = now
    }

    /// No request is in flight: the connection may be closed without losing a request.
    var isIdle: Bool { openRequests == 0 && !isReadingRequest }

    /// The timeout that applies under `timeouts`.
    func wait(_ timeouts: ConnectionTimeouts) -> Wait {
        if isReadingRequest, !isResponding, openRequests <= 1 {
            return timeouts.body.map { .body(lastBodyReadAt + $0) } ?? .none
        }
        guard isIdle else { return .none }
        if let headStartedAt {
            return timeouts.header.map { .header(headStartedAt + $0, bytesReceived: true) } ?? .none
        }
        if !hasServedResponse {
            return timeouts.header.map { .header(idleSince + $0, bytesReceived: false) } ?? .none
        }
        return timeouts.idle.map { .idle(idleSince + $0) } ?? .none
    }

    /// Bytes arrived (whether or not they completed a part).
    mutating func bytesArrived(at now: NIODeadline) {
        if isReadingRequest {
            lastBodyReadAt = now
        } else if isIdle, headStartedAt == nil {
            headStartedAt = now
        }
    }

    /// A request head arrived.
    mutating func headArrived(at now: NIODeadline) {
        openRequests += 1
        isReadingRequest = true
        headStartedAt = nil
        lastBodyReadAt = now
    }

    /// Part of a request body arrived.
    mutating func bodyArrived(at now: NIODeadline) {
        lastBodyReadAt = now
    }

    /// The end of a request arrived.
    mutating func requestEnded(at now: NIODeadline) {
        isReadingRequest = false
        if isIdle { idleSince = now }
    }

    /// A final response head was written.
    mutating func responseStarted() {
        isResponding = true
    }

    /// The end of a response was written.
    mutating func responseEnded(at now: NIODeadline) {
        isResponding = false
        openRequests = max(0, openRequests - 1)
        hasServedResponse = true
        if isIdle {
            idleSince = now
            headStartedAt = nil
        }
    }
}
