import InferenceTypes
import OrderedJSON
import Synchronization

/// The recent responses, kept in memory so that a follow-up naming one in `previous_response_id` continues its
/// conversation, and `GET`/`DELETE /v1/responses/{id}` find it. Bounded by count and by bytes, oldest out first;
/// nothing survives a restart. Responses asked for with `store: false` are never put here.
final class ResponseStore: Sendable {
    /// One kept response.
    struct Entry: Sendable {
        /// The response as it was answered.
        var response: ResponseObject
        /// Every turn up to and including the response's own output, `instructions` left out.
        var conversation: [ChatMessage]
        /// What the entry is counted as against the byte bound.
        var bytes: Int
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Ids, oldest first.
        var order: [String] = []
        var bytes = 0
    }

    /// The most responses kept.
    let maxEntries: Int
    /// The most bytes of text kept (conversations and outputs, estimated from their UTF-8 sizes).
    let maxBytes: Int
    private let state = Mutex(State())

    /// Creates an empty store keeping at most `maxEntries` responses and about `maxBytes` of their text.
    init(maxEntries: Int = 64, maxBytes: Int = 16 << 20) {
        self.maxEntries = maxEntries
        self.maxBytes = maxBytes
    }

    /// Keeps a response and its conversation, dropping the oldest ones beyond the bounds. A response larger
    /// than the whole byte bound is not kept.
    func put(_ response: ResponseObject, conversation: [ChatMessage]) {
        let bytes = Self.size(of: conversation) + Self.size(of: response)
        guard bytes <= maxBytes, maxEntries > 0 else { return }
        state.withLock { state in
            if let old = state.entries.removeValue(forKey: response.id) {
                state.bytes -= old.bytes
                state.order.removeAll { $0 == response.id }
            }
            state.entries[response.id] = Entry(response: response, conversation: conversation, bytes: bytes)
            state.order.append(response.id)
            state.bytes += bytes
            var dropped = 0
            while state.order.count - dropped > maxEntries || state.bytes > maxBytes {
                let id = state.order[dropped]
                dropped += 1
                if let entry = state.entries.removeValue(forKey: id) { state.bytes -= entry.bytes }
            }
            state.order.removeFirst(dropped)
        }
    }

    /// The kept response of that id.
    func entry(_ id: String) -> Entry? {
        state.withLock { $0.entries[id] }
    }

    /// Forgets the response of that id; says whether it was kept.
    func remove(_ id: String) -> Bool {
        state.withLock { state in
            guard let entry = state.entries.removeValue(forKey: id) else { return false }
            state.bytes -= entry.bytes
            state.order.removeAll { $0 == id }
            return true
        }
    }

    /// How many responses are kept.
    var count: Int { state.withLock { $0.order.count } }

    private static func size(of conversation: [ChatMessage]) -> Int {
        conversation.reduce(0) { total, message in
            total + message.content.utf8.count + (message.reasoning?.utf8.count ?? 0)
                + message.toolCalls.reduce(0) { $0 + $1.name.utf8.count + $1.arguments.utf8.count + $1.id.utf8.count }
                + (message.toolCallID?.utf8.count ?? 0) + 64
                + message.images.reduce(0) { $0 + $1.bytes.count + ($1.url?.utf8.count ?? 0) }
        }
    }

    private static func size(of response: ResponseObject) -> Int {
        let output = response.output.reduce(0) { total, item in
            switch item {
            case .reasoning(_, let text, _), .message(_, let text, _): total + (text?.utf8.count ?? 0) + 96
            case .functionCall(_, let call, _): total + call.name.utf8.count + call.arguments.utf8.count + 128
            }
        }
        return output + response.settings.tools.serialized().utf8.count
            + (response.settings.instructions?.utf8.count ?? 0)
            + 512
    }
}
