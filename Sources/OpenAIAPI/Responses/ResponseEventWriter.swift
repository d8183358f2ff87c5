import InferenceCore
import InferenceTypes
import NIOCore

/// Turns the core's events into the events of a streamed response, numbered from 0, in the order the SDK's
/// stream helpers accept: `response.created`, `response.in_progress`, then per output item `output_item.added`,
/// its parts and deltas, `output_item.done`, and last `response.completed` (or `response.incomplete`).
///
/// Reasoning and text open an item of their kind when the previous item was of another (closing it); a tool
/// call is a whole `function_call` item. Text deltas are written from per-item templates (no encoder per token).
struct ResponseEventWriter: Sendable {
    private struct OpenItem: Sendable {
        var isMessage: Bool
        var id: String
        var index: Int
        var text = ""
        var deltas: SequencedDeltaFrames
    }

    let reply: ResponseReply
    private let encoder = ResponseEventEncoder()
    private var sequence = 0
    private var items: [ResponseOutputItem] = []
    private var open: OpenItem?
    /// The finished response, once `.done` was written.
    private(set) var finished: ResponseObject?

    init(reply: ResponseReply) {
        self.reply = reply
    }

    /// `response.created` and `response.in_progress`.
    mutating func opening() throws -> [ByteBuffer] {
        [
            try encoder.frame(.init("response.created", next(), response: reply.inProgress)),
            try encoder.frame(.init("response.in_progress", next(), response: reply.inProgress)),
        ]
    }

    /// The frames of one event of the core.
    mutating func frames(for event: GenerationEvent) throws -> [ByteBuffer] {
        switch event {
        case .text(let text):
            return try delta(text, message: true)
        case .reasoning(let text):
            return try delta(text, message: false)
        case .toolCall(let call):
            var frames = try closeItem(status: "completed")
            let id = ResponseIDs.make("fc")
            let index = items.count
            let added = ResponseOutputItem.functionCall(
                id: id, call: ToolCall(id: call.id, name: call.name, arguments: ""), status: "in_progress")
            frames.append(try encoder.frame(.init("response.output_item.added", next(), item: added, at: index)))
            var delta = ResponseStreamEvent("response.function_call_arguments.delta", next(), item: id, at: index)
            delta.delta = call.arguments
            frames.append(try encoder.frame(delta))
            var done = ResponseStreamEvent("response.function_call_arguments.done", next(), item: id, at: index)
            done.arguments = call.arguments
            done.name = call.name
            frames.append(try encoder.frame(done))
            let item = ResponseOutputItem.functionCall(id: id, call: call, status: "completed")
            frames.append(try encoder.frame(.init("response.output_item.done", next(), item: item, at: index)))
            items.append(item)
            return frames
        case .logprobs:
            return []
        case .done(let summary):
            let status = summary.finishReason == .length ? "incomplete" : "completed"
            var frames = try closeItem(status: status)
            if items.isEmpty {
                frames += try openItem(message: true)
                frames += try closeItem(status: status)
            }
            let response = reply.finished(items, summary: summary)
            finished = response
            frames.append(try encoder.frame(.init("response.\(response.status)", next(), response: response)))
            return frames
        }
    }

    /// `response.failed`, carrying the output written so far and the error.
    mutating func failure(_ error: OpenAIError) throws -> ByteBuffer {
        var output = items
        if let open {
            output.append(
                open.isMessage
                    ? .message(id: open.id, text: open.text, status: "incomplete")
                    : .reasoning(id: open.id, text: open.text, status: "incomplete"))
        }
        return try encoder.frame(.init("response.failed", next(), response: reply.failed(output, error: error)))
    }

    /// A piece of a message's text or of the reasoning, opening an item of its kind when needed.
    private mutating func delta(_ text: String, message: Bool) throws -> [ByteBuffer] {
        guard !text.isEmpty else { return [] }
        var frames = open?.isMessage == message ? [] : try openItem(message: message)
        guard let deltas = open?.deltas else { return frames }
        frames.append(deltas.frame(text, sequenceNumber: next()))
        open?.text += text
        return frames
    }

    private mutating func next() -> Int {
        defer { sequence += 1 }
        return sequence
    }

    private mutating func openItem(message: Bool) throws -> [ByteBuffer] {
        var frames = try closeItem(status: "completed")
        let id = ResponseIDs.make(message ? "msg" : "rs")
        let index = items.count
        let item: ResponseOutputItem =
            message
            ? .message(id: id, text: nil, status: "in_progress") : .reasoning(id: id, text: nil, status: "in_progress")
        frames.append(try encoder.frame(.init("response.output_item.added", next(), item: item, at: index)))
        var part = ResponseStreamEvent(
            message ? "response.content_part.added" : "response.reasoning_summary_part.added", next(), item: id,
            at: index)
        part.part = message ? .outputText("") : .summaryText("")
        Self.setPartIndex(&part, message: message)
        frames.append(try encoder.frame(part))
        let encoder = self.encoder
        let deltas = try SequencedDeltaFrames { text, number in
            var delta = ResponseStreamEvent(
                message ? "response.output_text.delta" : "response.reasoning_summary_text.delta", number, item: id,
                at: index)
            delta.delta = text
            if message { delta.logprobs = [] }
            Self.setPartIndex(&delta, message: message)
            return try encoder.frame(delta)
        }
        open = OpenItem(isMessage: message, id: id, index: index, deltas: deltas)
        return frames
    }

    private mutating func closeItem(status: String) throws -> [ByteBuffer] {
        guard let item = open else { return [] }
        open = nil
        let message = item.isMessage
        var done = ResponseStreamEvent(
            message ? "response.output_text.done" : "response.reasoning_summary_text.done", next(), item: item.id,
            at: item.index)
        done.text = item.text
        if message { done.logprobs = [] }
        Self.setPartIndex(&done, message: message)
        var part = ResponseStreamEvent(
            message ? "response.content_part.done" : "response.reasoning_summary_part.done", next(), item: item.id,
            at: item.index)
        part.part = message ? .outputText(item.text) : .summaryText(item.text)
        Self.setPartIndex(&part, message: message)
        let output: ResponseOutputItem =
            message
            ? .message(id: item.id, text: item.text, status: status)
            : .reasoning(id: item.id, text: item.text, status: status)
        items.append(output)
        return [
            try encoder.frame(done), try encoder.frame(part),
            try encoder.frame(.init("response.output_item.done", next(), item: output, at: item.index)),
        ]
    }

    /// A message's parts are numbered by `content_index`, a reasoning item's by `summary_index`.
    private static func setPartIndex(_ event: inout ResponseStreamEvent, message: Bool) {
        if message { event.contentIndex = 0 } else { event.summaryIndex = 0 }
    }
}
