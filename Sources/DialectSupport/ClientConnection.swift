import Synchronization

/// The connection a request came in on, as far as a handler needs it: whether the client is still there.
///
/// The server marks it closed when the client closes its side or the connection drops. Work run through
/// `whileConnected` is cancelled at that moment (waiting in a model's queue, in prefill); work run with
/// `onClose(_:during:)` has its handler called (collecting or streaming an answer).
public final class ClientConnection: Sendable {
    private struct State {
        var closed = false
        var nextToken = 0
        var onClose: [Int: @Sendable () -> Void] = [:]
    }

    private let state = Mutex(State())

    /// A connection that is open until `markClosed()`.
    public init() {}

    /// Whether the client has gone.
    public var isClosed: Bool { state.withLock { $0.closed } }

    /// Records that the client has gone and runs what was waiting for it, once.
    public func markClosed() {
        let callbacks = state.withLock { state -> [@Sendable () -> Void] in
            guard !state.closed else { return [] }
            state.closed = true
            defer { state.onClose = [:] }
            return Array(state.onClose.values)
        }
        for callback in callbacks { callback() }
    }

    /// Runs `operation` in a child task that is cancelled as soon as the client goes (at once when it has
    /// gone already), or when the caller is cancelled. Returns or throws what `operation` does.
    ///
    /// One task is created: the caller waits for whichever comes first, the operation's end or the client's
    /// departure, and cancels the operation on the latter.
    public func whileConnected<Value: Sendable>(_ operation: () async throws -> Value) async throws -> Value {
        try await withoutActuallyEscaping(operation) { escapable in
            // The child task runs it while this task waits in the group, so it is used by one task at a time.
            nonisolated(unsafe) let work = escapable
            let wakeUp = WakeUp()
            return try await withThrowingTaskGroup(of: Value.self) { group in
                group.addTask {
                    defer { wakeUp.fire() }
                    return try await work()
                }
                let token = register { wakeUp.fire() }
                await wakeUp.wait()
                unregister(token)
                if isClosed { group.cancelAll() }
                guard let value = try await group.next() else { throw CancellationError() }
                return value
            }
        }
    }

    /// Runs `operation` in the calling task, with `handler` called if the client goes meanwhile (at once when it
    /// has gone already). No task is created: `handler` is how the operation learns of it (a generation's
    /// `cancel()`). Returns or throws what `operation` does.
    public func onClose<Value>(
        _ handler: @escaping @Sendable () -> Void, during operation: () async throws -> Value
    ) async throws -> Value {
        let token = register(handler)
        defer { unregister(token) }
        return try await operation()
    }

    /// Adds `callback` to run when the client goes; runs it at once (returning `nil`) when it has gone.
    private func register(_ callback: @escaping @Sendable () -> Void) -> Int? {
        let token = state.withLock { state -> Int? in
            guard !state.closed else { return nil }
            state.nextToken += 1
            state.onClose[state.nextToken] = callback
            return state.nextToken
        }
        if token == nil { callback() }
        return token
    }

    private func unregister(_ token: Int?) {
        guard let token else { return }
        state.withLock { _ = $0.onClose.removeValue(forKey: token) }
    }
}

/// A one-shot signal one task waits for; firing it before the wait makes the wait return at once.
private final class WakeUp: Sendable {
    private let state = Mutex<(fired: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    func fire() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.fired else { return nil }
            state.fired = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                if state.fired { return true }
                state.waiter = continuation
                return false
            }
            if ready { continuation.resume() }
        }
    }
}

/// A request context that knows the connection its request came in on.
public protocol ClientConnectionContext {
    /// The request's connection; `nil` when the request did not come over a socket (router tests).
    var clientConnection: ClientConnection? { get }
}

extension ClientConnection {
    /// The connection of the request `context` belongs to, or one that never closes when it has none.
    public static func of(_ context: some Sendable) -> ClientConnection {
        (context as? any ClientConnectionContext)?.clientConnection ?? ClientConnection()
    }
}
