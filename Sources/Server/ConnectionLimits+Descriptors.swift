import Glibc

extension ConnectionLimits {
    /// Descriptors kept back from connections for the server's own: event loops, model files, runner processes
    /// and their sockets, logs.
    static let reservedDescriptors = 64

    /// The cap in force: `maxConnections` when set, otherwise the descriptor limit less the reserve, at most 1024
    /// and at least 8.
    public var effectiveMaxConnections: Int {
        if maxConnections > 0 { return maxConnections }
        return Self.defaultMaxConnections(descriptorLimit: Self.descriptorLimit())
    }

    /// The default cap for a process that may open `descriptorLimit` descriptors (`nil`: unlimited).
    static func defaultMaxConnections(descriptorLimit: Int?) -> Int {
        guard let descriptorLimit else { return 1024 }
        return min(1024, max(8, descriptorLimit - reservedDescriptors))
    }

    /// The soft `RLIMIT_NOFILE` of this process, `nil` when unlimited or unknown.
    static func descriptorLimit() -> Int? {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else {
            return nil
        }
        return Int(clamping: limit.rlim_cur)
    }
}
