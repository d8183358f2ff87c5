import NIOCore

/// The three timeouts of a connection as event-loop time amounts; `nil` is no limit.
struct ConnectionTimeouts: Sendable {
    var header: TimeAmount?
    var body: TimeAmount?
    var idle: TimeAmount?

    init(_ limits: ConnectionLimits) {
        func amount(_ seconds: Double) -> TimeAmount? {
            seconds > 0 ? .nanoseconds(Int64(min(seconds, 1e9) * 1e9)) : nil
        }
        header = amount(limits.headerTimeout)
        body = amount(limits.bodyTimeout)
        idle = amount(limits.idleTimeout)
    }
}
