import DialectSupport
import Hummingbird
import InferenceTypes
import NIOCore
import OrderedJSON
import Synchronization

/// Turns the events of one generation into Anthropic's stream: `message_start` and a `ping`, then per content
/// block `content_block_start`, its deltas (`thinking_delta` then a `signature_delta`, `text_delta`,
/// `input_json_delta`) and `content_block_stop`, then `message_delta` (stop reason and usage) and
/// `message_stop`; `error` when the generation fails.
///
/// Text and thinking deltas are the hot path: their frames are rendered once per block (`TextDeltaFrames`),
/// so a token costs a copy of its escaped text and no encoder.
final class MessagesStreamEncoder: Sendable {
    private enum Block: Equatable {
        case closed, text, thinking
    }

    private struct State {
        var next = 0
        var open = Block.closed
        var deltas: TextDeltaFrames?
    }

    private let reply: MessagesReply
    private let state = Mutex(State())

    init(reply: MessagesReply) {
        self.reply = reply
    }

    /// `message_start` and a first `ping`.
    func opening() -> [ByteBuffer] {
        [Self.event("message_start", ["type": "message_start", "message": reply.opening]), Self.ping]
    }

    /// The frames of one event.
    func frames(for event: GenerationEvent) -> [ByteBuffer] {
        state.withLock { state in
            switch event {
            case .text(let text):
                guard !text.isEmpty else { return [] }
                if state.open == .text, let deltas = state.deltas { return [deltas.frame(text)] }
                var frames = close(&state)
                frames += open(.text, &state)
                if let deltas = state.deltas { frames.append(deltas.frame(text)) }
                return frames
            case .reasoning(let text):
                guard !text.isEmpty else { return [] }
                if state.open == .thinking, let deltas = state.deltas { return [deltas.frame(text)] }
                var frames = close(&state)
                frames += open(.thinking, &state)
                if let deltas = state.deltas { frames.append(deltas.frame(text)) }
                return frames
            case .toolCall(let call):
                var frames = close(&state)
                let index = state.next
                state.next += 1
                let block: JSONValue = [
                    "type": "tool_use", "id": .string(MessagesReply.toolUseID(call.id)), "name": .string(call.name),
                    "input": [:],
                ]
                frames.append(Self.blockStart(index, block))
                let json = MessagesReply.input(call).serialized()
                frames.append(Self.blockDelta(index, ["type": "input_json_delta", "partial_json": .string(json)]))
                frames.append(Self.blockStop(index))
                return frames
            case .logprobs:
                return []
            case .done(let summary):
                var frames = close(&state)
                let stop = reply.stop(summary)
                let delta: JSONValue = [
                    "type": "message_delta",
                    "delta": [
                        "stop_reason": .string(stop.reason),
                        "stop_sequence": stop.sequence.map(JSONValue.string) ?? .null,
                    ],
                    "usage": MessagesReply.usage(summary.usage),
                ]
                frames.append(Self.event("message_delta", delta))
                frames.append(Self.event("message_stop", ["type": "message_stop"]))
                return frames
            }
        }
    }

    /// The `error` event of a generation that failed after the stream began.
    static func failure(_ error: any Error) -> ByteBuffer {
        let error = AnthropicError(any: error)
        return event("error", error.body)
    }

    private func open(_ block: Block, _ state: inout State) -> [ByteBuffer] {
        let index = state.next
        state.next += 1
        state.open = block
        let start: JSONValue
        let deltaType: JSONValue
        let key: String
        switch block {
        case .thinking:
            start = ["type": "thinking", "thinking": "", "signature": ""]
            deltaType = "thinking_delta"
            key = "thinking"
        case .text, .closed:
            start = ["type": "text", "text": ""]
            deltaType = "text_delta"
            key = "text"
        }
        state.deltas = try? TextDeltaFrames { text in
            Self.blockDelta(index, .object([JSONMember("type", deltaType), JSONMember(key, .string(text))]))
        }
        return [Self.blockStart(index, start)]
    }

    private func close(_ state: inout State) -> [ByteBuffer] {
        let index = state.next - 1
        defer {
            state.open = .closed
            state.deltas = nil
        }
        switch state.open {
        case .closed: return []
        case .text: return [Self.blockStop(index)]
        case .thinking:
            let signature: JSONValue = ["type": "signature_delta", "signature": .string(MessagesReply.signature)]
            return [Self.blockDelta(index, signature), Self.blockStop(index)]
        }
    }

    private static func blockStart(_ index: Int, _ block: JSONValue) -> ByteBuffer {
        event("content_block_start", ["type": "content_block_start", "index": .int(index), "content_block": block])
    }

    private static func blockDelta(_ index: Int, _ delta: JSONValue) -> ByteBuffer {
        event("content_block_delta", ["type": "content_block_delta", "index": .int(index), "delta": delta])
    }

    private static func blockStop(_ index: Int) -> ByteBuffer {
        event("content_block_stop", ["type": "content_block_stop", "index": .int(index)])
    }

    /// `event: <name>\ndata: <json>\n\n`.
    static func event(_ name: String, _ data: JSONValue) -> ByteBuffer {
        ByteBuffer(string: "event: \(name)\ndata: \(data.serialized())\n\n")
    }

    /// The keep-alive event.
    static let ping = event("ping", ["type": "ping"])

    /// The headers of the stream. The connection ends with the stream (watching for a client that goes away
    /// consumes it), so clients are told not to reuse it.
    static let headers: HTTPFields = [
        .contentType: "text/event-stream", .cacheControl: "no-cache", .connection: "close",
    ]
}
