import DialectSupport
import FoundationEssentials
import Hummingbird
import InferenceCore
import InferenceTypes

extension OllamaController {
    @Sendable func generate(request: Request, context: Context) async throws -> Response {
        try await reply(to: request, context: context, as: OllamaGenerateRequest.self) { .generate(model: $0) }
    }

    @Sendable func chat(request: Request, context: Context) async throws -> Response {
        try await reply(to: request, context: context, as: OllamaChatRequest.self) { .chat(model: $0) }
    }

    /// Both routes: decode, then load or unload for an empty request, else generate.
    private func reply<Body: OllamaGenerationBody>(
        to request: Request, context: Context, as type: Body.Type, shape makeShape: (String) -> ReplyShape
    ) async throws -> Response {
        let start = MonotonicClock.now()
        return try await mapErrors {
            var request = request
            let body = try await OllamaRequestDecoding.decode(Body.self, from: &request, limit: maxBodyBytes)
            let name = OllamaNames.resolvable(body.model)
            let shape = makeShape(body.model)
            guard var generationRequest = try body.generationRequest() else {
                return try await loadOrUnload(name, keepAlive: body.keepAlive?.value, shape: shape, start: start)
            }
            generationRequest.model = name
            return try await answer(
                generationRequest, keepAlive: body.keepAlive?.value, streaming: body.stream ?? true, shape: shape,
                client: ClientConnection.of(context), start: start)
        }
    }

    /// An empty prompt or message list: load the model (`done_reason` `load`), or with `keep_alive` 0 unload it.
    private func loadOrUnload(_ name: String, keepAlive: KeepAlive?, shape: ReplyShape, start: UInt64) async throws
        -> Response
    {
        if keepAlive == .seconds(0) {
            try await service.unload(name)
            return try line(shape.final(text: "", reason: "unload", metrics: nil))
        }
        let loaded = try await service.load(name, keepAlive: keepAlive)
        let metrics = OllamaMetrics(summary: nil, loadNanos: loaded.loadNanos, totalNanos: MonotonicClock.since(start))
        return try line(shape.final(text: "", reason: "load", metrics: metrics))
    }

    private func answer(
        _ generationRequest: GenerationRequest, keepAlive: KeepAlive?, streaming: Bool, shape: ReplyShape,
        client: ClientConnection, start: UInt64
    ) async throws -> Response {
        let generation = try await client.whileConnected {
            try await service.generate(generationRequest, keepAlive: keepAlive)
        }
        let stream = GenerationStream(generation, client: client)
        let loadNanos = generation.loadNanos
        guard streaming else {
            let answer = try await stream.collect()
            let summary = answer.summary
            let metrics = OllamaMetrics(summary: summary, loadNanos: loadNanos, totalNanos: MonotonicClock.since(start))
            return try line(
                shape.final(
                    text: answer.text, thinking: answer.reasoning, toolCalls: answer.toolCalls,
                    reason: summary.finishReason.ollamaValue, metrics: metrics))
        }
        let deltas = try TextDeltaFrames { try NDJSON.line(shape.piece($0)) }
        return Response(
            status: .ok, headers: NDJSON.headers,
            body: ResponseBody { writer in
                try await stream.stream(to: &writer, prelude: []) { event in
                    switch event {
                    case .text(let text):
                        return [deltas.frame(text)]
                    case .reasoning(let text):
                        return [try NDJSON.line(shape.piece(thinking: text))]
                    case .toolCall(let call):
                        return [try NDJSON.line(shape.piece(toolCall: call))]
                    case .logprobs:
                        return []
                    case .done(let summary):
                        let metrics = OllamaMetrics(
                            summary: summary, loadNanos: loadNanos, totalNanos: MonotonicClock.since(start))
                        return [
                            try NDJSON.line(
                                shape.final(text: "", reason: summary.finishReason.ollamaValue, metrics: metrics))
                        ]
                    }
                } failure: { error in
                    OllamaError(any: error).line
                }
            })
    }

    /// One JSON object as the whole answer (non-streamed replies, and load/unload).
    private func line(_ value: any Encodable & Sendable) throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: try NDJSON.line(value)))
    }
}

/// Which of the two reply shapes a request gets: `/api/generate`'s `response` or `/api/chat`'s `message`.
enum ReplyShape: Sendable {
    case generate(model: String)
    case chat(model: String)

    func piece(_ text: String) -> OllamaReplyLine {
        line(text, done: false, reason: nil, metrics: nil)
    }

    /// A line with a piece of the model's reasoning.
    func piece(thinking: String) -> OllamaReplyLine {
        line("", thinking: thinking, done: false, reason: nil, metrics: nil)
    }

    /// A line with one whole tool call (chat only; generate has no tools).
    func piece(toolCall: ToolCall) -> OllamaReplyLine {
        line("", toolCalls: [toolCall], done: false, reason: nil, metrics: nil)
    }

    func final(
        text: String, thinking: String = "", toolCalls: [ToolCall] = [], reason: String, metrics: OllamaMetrics?
    ) -> OllamaReplyLine {
        line(text, thinking: thinking, toolCalls: toolCalls, done: true, reason: reason, metrics: metrics)
    }

    private func line(
        _ text: String, thinking: String = "", toolCalls: [ToolCall] = [], done: Bool, reason: String?,
        metrics: OllamaMetrics?
    ) -> OllamaReplyLine {
        let now = OllamaTimestamp.string(Date())
        let thinking = thinking.isEmpty ? nil : thinking
        switch self {
        case .generate(let model):
            return OllamaReplyLine(
                model: model, createdAt: now, content: .response(text, thinking: thinking), done: done,
                doneReason: reason, metrics: metrics)
        case .chat(let model):
            let message = OllamaMessage(
                role: "assistant", content: text, thinking: thinking,
                toolCalls: toolCalls.isEmpty ? nil : toolCalls.map(OllamaToolCall.init))
            return OllamaReplyLine(
                model: model, createdAt: now, content: .message(message), done: done, doneReason: reason,
                metrics: metrics)
        }
    }
}
