public import Configuration

/// How long a client may take to send a request, how long a kept-alive connection may sit idle, and how many
/// connections may be open at once. A connection whose request is being answered is never timed out here:
/// a long generation streaming one token every few seconds, or a request waiting minutes for its answer, is busy.
public struct ConnectionLimits: Sendable, Equatable {
    /// Seconds from the first byte of a request (or from the accept, on a new connection) until its whole head
    /// has arrived; 0 turns the limit off.
    public var headerTimeout: Double
    /// Seconds the server waits for more of a request body before answering 408 and closing; 0 turns it off.
    public var bodyTimeout: Double
    /// Seconds a kept-alive connection may wait for its next request before it is closed; 0 turns it off.
    public var idleTimeout: Double
    /// Connections open at once; 0 derives it from the descriptor limit. Beyond it the oldest idle connection is
    /// closed to make room, or, when none is idle, the new one is answered 503 and closed.
    public var maxConnections: Int

    /// Creates the limits.
    public init(
        headerTimeout: Double = 30, bodyTimeout: Double = 60, idleTimeout: Double = 120, maxConnections: Int = 0
    ) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
    }

    /// Reads the keys `headerTimeout`, `bodyTimeout`, `idleTimeout` and `maxConnections`.
    public init(reader: ConfigReader) {
        let defaults = ConnectionLimits()
        self.init(
            headerTimeout: max(0, reader.double(forKey: "headerTimeout", default: defaults.headerTimeout)),
            bodyTimeout: max(0, reader.double(forKey: "bodyTimeout", default: defaults.bodyTimeout)),
            idleTimeout: max(0, reader.double(forKey: "idleTimeout", default: defaults.idleTimeout)),
            maxConnections: max(0, reader.int(forKey: "maxConnections", default: defaults.maxConnections)))
    }
}
