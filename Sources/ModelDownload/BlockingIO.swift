import NIOPosix

/// Runs blocking file-system calls on NIO's thread pool, off Swift's cooperative threads.
enum BlockingIO {
    /// Runs `body` on the thread pool and returns its result. A call that has started runs to its end even when
    /// the calling task is cancelled, so that bytes already received reach the `.partial` file.
    static func run<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await Task.detached { try await NIOThreadPool.singleton.runIfActive(body) }.value
    }
}
