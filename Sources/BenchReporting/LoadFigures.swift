/// What one server delivered to a number of concurrent streaming clients.
public struct LoadFigures: Codable, Sendable, Equatable {
    /// Requests sent.
    public var requests: Int
    /// Requests the server refused (503 busy).
    public var refused: Int
    /// Tokens delivered to all clients over the wall time of the level.
    public var aggregateTokensPerSecond: Double
    /// Median time to first token, in milliseconds.
    public var ttftP50Millis: Double
    /// 99th-percentile time to first token, in milliseconds.
    public var ttftP99Millis: Double

    /// Figures from their parts.
    public init(
        requests: Int, refused: Int, aggregateTokensPerSecond: Double, ttftP50Millis: Double, ttftP99Millis: Double
    ) {
        self.requests = requests
        self.refused = refused
        self.aggregateTokensPerSecond = aggregateTokensPerSecond
        self.ttftP50Millis = ttftP50Millis
        self.ttftP99Millis = ttftP99Millis
    }
}

/// One level of the concurrency sweep: our server's figures and the peer's, measured one after the other.
public struct SweepPoint: Codable, Sendable, Equatable {
    /// Concurrent clients.
    public var clients: Int
    /// Our server; `nil` when it was not measured.
    public var ours: LoadFigures?
    /// The peer; `nil` without one.
    public var peer: LoadFigures?

    /// A level from its parts.
    public init(clients: Int, ours: LoadFigures?, peer: LoadFigures?) {
        self.clients = clients
        self.ours = ours
        self.peer = peer
    }
}
