import DialectSupport
import InferenceCore
import InferenceTypes

/// What every object of one answer shares, and how each event becomes wire objects.
struct ReplyContext: Sendable {
    let id: String
    let created: Int
    let model: String
    let fingerprint: String
    /// The key reasoning is sent under (`reasoning_content` or `reasoning`).
    var reasoningField = "reasoning_content"
    /// Numbers the tool calls of a stream (`index` of each call's delta).
    var toolCallIndexer = ToolCallIndexer()

    /// The whole answer: `content` is `null` when the model only called tools; `logprobs` is sent when the
    /// request asked for them.
    func chatCompletion(_ answer: CollectedGeneration, logprobs: Bool) -> ChatCompletionResponse {
        let summary = answer.summary
        let content: String? = answer.text.isEmpty && !answer.toolCalls.isEmpty ? nil : answer.text
        let message = ChatCompletionResponse.Message(
            content: content, reasoning: answer.reasoning, reasoningField: reasoningField,
            toolCalls: answer.toolCalls.map { WireToolCallOut($0) })
        return ChatCompletionResponse(
            id: id, created: created, model: model, systemFingerprint: fingerprint,
            choices: [
                .init(
                    message: message, logprobs: logprobs ? ChatLogprobs(answer.logprobs) : nil,
                    finishReason: summary.finishReason.openAIValue)
            ],
            usage: OpenAIUsage(summary.usage), timings: OpenAITimings(summary))
    }

    /// The chunks for one event: text, reasoning, a whole tool call (its first and only delta carries id,
    /// type, name and arguments, keyed by its `index`), or the logprobs of the tokens since the last event.
    /// `done` closes the turn and, when asked, adds the usage chunk whose `choices` is empty.
    func chatChunks(for event: GenerationEvent, includeUsage: Bool) -> [ChatCompletionChunk] {
        func chunk(_ delta: ChatDelta, finish: String? = nil, logprobs: ChatLogprobs? = nil) -> ChatCompletionChunk {
            ChatCompletionChunk(
                id: id, object: "chat.completion.chunk", created: created, model: model, systemFingerprint: fingerprint,
                choices: [.init(delta: delta, logprobs: logprobs, finishReason: finish)], usage: nil,
                includeUsageKey: includeUsage)
        }
        switch event {
        case .text(let text):
            return [chunk(.init(content: text))]
        case .reasoning(let text):
            return [chunk(.init(reasoning: text, reasoningField: reasoningField))]
        case .toolCall(let call):
            return [chunk(.init(toolCalls: [WireToolCallOut(call, index: toolCallIndexer.next())]))]
        case .logprobs(let entries):
            return [chunk(.init(), logprobs: ChatLogprobs(entries))]
        case .done(let summary):
            var chunks = [chunk(.init(), finish: summary.finishReason.openAIValue)]
            chunks[0].timings = OpenAITimings(summary)
            if includeUsage {
                chunks.append(
                    ChatCompletionChunk(
                        id: id, object: "chat.completion.chunk", created: created, model: model,
                        systemFingerprint: fingerprint, choices: [],
                        usage: OpenAIUsage(summary.usage), includeUsageKey: true))
            }
            return chunks
        }
    }

    /// The chunk that opens a streamed chat answer.
    func chatOpening(includeUsage: Bool) -> ChatCompletionChunk {
        ChatCompletionChunk(
            id: id, object: "chat.completion.chunk", created: created, model: model, systemFingerprint: fingerprint,
            choices: [.init(delta: .init(role: "assistant", content: ""), finishReason: nil)], usage: nil,
            includeUsageKey: includeUsage)
    }

    /// The whole answer; `logprobs` is sent when the request asked for them.
    func completion(_ answer: CollectedGeneration, logprobs: Bool) -> CompletionResponse {
        let summary = answer.summary
        return CompletionResponse(
            id: id, object: "text_completion", created: created, model: model, systemFingerprint: fingerprint,
            choices: [
                .init(
                    text: answer.text, logprobs: logprobs ? CompletionLogprobs(answer.logprobs) : nil,
                    finishReason: summary.finishReason.openAIValue)
            ],
            usage: OpenAIUsage(summary.usage), includeUsageKey: true, timings: OpenAITimings(summary))
    }

    func completionChunks(for event: GenerationEvent, includeUsage: Bool) -> [CompletionResponse] {
        switch event {
        case .text(let text):
            return [
                CompletionResponse(
                    id: id, object: "text_completion", created: created, model: model, systemFingerprint: fingerprint,
                    choices: [.init(text: text, finishReason: nil)], usage: nil, includeUsageKey: includeUsage)
            ]
        case .logprobs(let entries):
            return [
                CompletionResponse(
                    id: id, object: "text_completion", created: created, model: model, systemFingerprint: fingerprint,
                    choices: [.init(text: "", logprobs: CompletionLogprobs(entries), finishReason: nil)], usage: nil,
                    includeUsageKey: includeUsage)
            ]
        case .reasoning, .toolCall:
            return []
        case .done(let summary):
            var chunks = [
                CompletionResponse(
                    id: id, object: "text_completion", created: created, model: model, systemFingerprint: fingerprint,
                    choices: [.init(text: "", finishReason: summary.finishReason.openAIValue)], usage: nil,
                    includeUsageKey: includeUsage, timings: OpenAITimings(summary))
            ]
            if includeUsage {
                chunks.append(
                    CompletionResponse(
                        id: id, object: "text_completion", created: created, model: model,
                        systemFingerprint: fingerprint, choices: [],
                        usage: OpenAIUsage(summary.usage), includeUsageKey: true))
            }
            return chunks
        }
    }
}
