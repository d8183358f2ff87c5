import NIOCore
import Synchronization

/// Counts the server's open connections against a cap, shared by every event loop.
///
/// A connection beyond the cap makes room by closing the connection that has been idle longest (no request in
/// flight: a kept-alive connection between requests, or one that has not sent a whole head yet); when every
/// connection is busy the newcomer is refused, and its handler answers 503 and closes it.
final class ConnectionLimiter: Sendable {
    /// Identifies an admitted connection.
    typealias ID = UInt64

    /// The outcome of a new connection.
    enum Admission {
        /// The connection may be served.
        case admitted(ID)
        /// Every connection is busy: refuse this one.
        case refused
    }

    /// Asks an idle connection's handler to close it to make room.
    struct MakeRoomEvent {}

    /// The most connections open at once.
    let maxConnections: Int
    private let state = Mutex(State())

    private struct Entry {
        let channel: any Channel
        var idleSince: NIODeadline?
        var isClosing = false
    }

    private struct State {
        var entries: [ID: Entry] = [:]
        var closingCount = 0
        var nextID: ID = 0
    }

    /// Creates a limiter for `maxConnections` connections.
    init(maxConnections: Int) {
        self.maxConnections = max(1, maxConnections)
    }

    /// Connections open now, not counting those asked to make room.
    var openConnections: Int {
        state.withLock { $0.entries.count - $0.closingCount }
    }

    /// Admits `channel`, idle since `now`, closing the longest-idle connection when there is no room.
    func admit(_ channel: any Channel, now: NIODeadline) -> Admission {
        let (admission, victim): (Admission, (any Channel)?) = state.withLock { state in
            var victim: (any Channel)?
            if state.entries.count - state.closingCount >= maxConnections {
                let idle = state.entries.compactMap { id, entry in
                    entry.isClosing ? nil : entry.idleSince.map { (id: id, since: $0) }
                }
                guard let oldest = idle.min(by: { $0.since < $1.since }) else { return (.refused, nil) }
                state.entries[oldest.id]?.isClosing = true
                state.closingCount += 1
                victim = state.entries[oldest.id]?.channel
            }
            let id = state.nextID
            state.nextID += 1
            state.entries[id] = Entry(channel: channel, idleSince: now)
            return (.admitted(id), victim)
        }
        victim?.pipeline.fireUserInboundEventTriggered(MakeRoomEvent())
        return admission
    }

    /// Records whether connection `id` is idle (since when) or busy (`nil`).
    func setIdle(_ id: ID, since: NIODeadline?) {
        state.withLock { state in
            guard var entry = state.entries[id] else { return }
            entry.idleSince = since
            if since == nil, entry.isClosing {
                // It became busy before it could make room: it stays, and the cap is exceeded for a while.
                entry.isClosing = false
                state.closingCount -= 1
            }
            state.entries[id] = entry
        }
    }

    /// Forgets connection `id`, which has closed.
    func remove(_ id: ID) {
        state.withLock { state in
            guard let entry = state.entries.removeValue(forKey: id) else { return }
            if entry.isClosing { state.closingCount -= 1 }
        }
    }
}
