/// The bookkeeping of one runner process, as a value: which phase it is in, the load waiting for its answer,
/// and the requests in flight by id. Each mutating method returns what the caller must do (resume a waiter,
/// send a command, start reaping); the caller runs it outside the lock that guards the machine.
///
/// Generic over the waiters so that the races can be tested without a process or continuations.
struct RunnerStateMachine<LoadWaiter, Waiter> {
    /// Where the runner is in its life.
    enum Phase: Equatable {
        /// Spawned; no model asked for yet.
        case idle
        /// The `load` command is out; its answer is awaited.
        case loading
        /// The model is loaded; requests run.
        case loaded
        /// The runner was asked to exit (unload, or a failed load); no new request is sent.
        case unloading
        /// Its socket closed; the process is being reaped.
        case dying
        /// The process is reaped; every waiter failed with `reason`.
        case dead(reason: String)
    }

    /// What to do when a load is asked for.
    enum LoadAction {
        /// Send the `load` command.
        case send
        /// Fail the load at once.
        case fail(LoadWaiter, reason: String)
        /// Nothing now: the runner is dying, and the load fails with the reason once it is reaped.
        case wait
    }

    /// What to do with a new request.
    enum RequestAction {
        /// Send the command of the request `id`.
        case send(id: UInt64)
        /// Fail the request at once.
        case fail(Waiter, reason: String)
        /// Nothing now: the runner is dying, and the request fails with the reason once it is reaped.
        case wait
    }

    /// What to do once the process is reaped: fail each waiter with `reason`, once.
    struct Death {
        /// The load still waiting, if any.
        var load: LoadWaiter?
        /// The requests still in flight.
        var waiters: [Waiter]
        /// Why the runner ended, in words.
        var reason: String
    }

    private(set) var phase = Phase.idle
    private var loadWaiter: LoadWaiter?
    private var waiters: [UInt64: Waiter] = [:]
    private var nextID: UInt64 = 1
    private var unloadAcknowledged = false

    /// The number of requests in flight.
    var requestsInFlight: Int { waiters.count }

    /// Whether the process is reaped.
    var isDead: Bool {
        if case .dead = phase { return true }
        return false
    }

    /// A load is asked for.
    mutating func startLoad(_ waiter: LoadWaiter) -> LoadAction {
        switch phase {
        case .idle:
            phase = .loading
            loadWaiter = waiter
            return .send
        case .dying where loadWaiter == nil:
            loadWaiter = waiter
            return .wait
        case .dead(let reason):
            return .fail(waiter, reason: reason)
        case .loading, .loaded, .unloading, .dying:
            return .fail(waiter, reason: "is not ready for a load")
        }
    }

    /// The runner answered `loaded`: the load waiting, to resume with the model's information.
    mutating func loaded() -> LoadWaiter? {
        guard phase == .loading else { return nil }
        phase = .loaded
        defer { loadWaiter = nil }
        return loadWaiter
    }

    /// The runner answered `loadFailed`: the load waiting, to fail with the runner's error. The runner exits next.
    mutating func loadFailed() -> LoadWaiter? {
        guard phase == .loading else { return nil }
        phase = .unloading
        defer { loadWaiter = nil }
        return loadWaiter
    }

    /// A request is asked for; it is registered under a new id unless the runner cannot take it.
    mutating func startRequest(_ waiter: Waiter) -> RequestAction {
        switch phase {
        case .loaded:
            let id = nextID
            nextID += 1
            waiters[id] = waiter
            return .send(id: id)
        case .dying:
            waiters[nextID] = waiter
            nextID += 1
            return .wait
        case .dead(let reason):
            return .fail(waiter, reason: reason)
        case .unloading:
            return .fail(waiter, reason: "is being unloaded")
        case .idle, .loading:
            return .fail(waiter, reason: "has no model loaded")
        }
    }

    /// A reply for the request `id` arrived: its waiter, to deliver the reply to, or `nil` when no request of
    /// that id is in flight (it was cancelled, or it never existed). A `final` reply ends the request.
    mutating func reply(id: UInt64, final: Bool) -> Waiter? {
        final ? waiters.removeValue(forKey: id) : waiters[id]
    }

    /// The request `id` ended on the server's side (its consumer left, or its command could not be sent):
    /// its waiter, and whether the runner must be told to cancel it. `nil` when it had already ended.
    mutating func cancel(id: UInt64) -> (waiter: Waiter, sendCancel: Bool)? {
        guard let waiter = waiters.removeValue(forKey: id) else { return nil }
        switch phase {
        case .loaded, .unloading: return (waiter, true)
        case .idle, .loading, .dying, .dead: return (waiter, false)
        }
    }

    /// The server asks the runner to exit: whether to send `unload`. Requests in flight stay until they end
    /// or the runner dies.
    mutating func unload() -> Bool {
        switch phase {
        case .idle, .loading, .loaded:
            phase = .unloading
            return true
        case .unloading, .dying, .dead:
            return false
        }
    }

    /// The runner answered `unloaded`: it freed its model and exits, which is then not a failure.
    mutating func unloaded() {
        unloadAcknowledged = true
    }

    /// The socket closed: whether to start reaping the process (only the first time).
    mutating func channelClosed() -> Bool {
        switch phase {
        case .idle, .loading, .loaded, .unloading:
            phase = .dying
            return true
        case .dying, .dead:
            return false
        }
    }

    /// The process ended with `status` (in words): every waiter, to fail once with the reason. `nil` when it
    /// was already reaped.
    mutating func reaped(status: String) -> Death? {
        guard !isDead else { return nil }
        let reason = unloadAcknowledged ? "exited" : status
        phase = .dead(reason: reason)
        defer {
            loadWaiter = nil
            waiters = [:]
        }
        return Death(load: loadWaiter, waiters: waiters.keys.sorted().compactMap { waiters[$0] }, reason: reason)
    }
}
