/// Single-stream decode at the server's default settings, idle and with one core kept busy by another process.
public struct SharingFigures: Codable, Sendable, Equatable {
    /// Which server.
    public var target: String
    /// Median decode tokens/s with nothing else running.
    public var idleTokensPerSecond: Double
    /// Median decode tokens/s while a busy-loop process runs.
    public var busyTokensPerSecond: Double

    /// Busy over idle.
    public var ratio: Double { idleTokensPerSecond > 0 ? busyTokensPerSecond / idleTokensPerSecond : 0 }

    /// Figures from their parts.
    public init(target: String, idleTokensPerSecond: Double, busyTokensPerSecond: Double) {
        self.target = target
        self.idleTokensPerSecond = idleTokensPerSecond
        self.busyTokensPerSecond = busyTokensPerSecond
    }
}
