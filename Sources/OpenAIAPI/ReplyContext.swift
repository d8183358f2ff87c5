import InferenceCore

/// What every object of one answer shares, and how each event becomes wire objects.
struct ReplyContext: Sendable {
    let id: String
    let created: Int
    let model: String
    let fingerprint: String

    func chatCompletion(text: String, summary: GenerationSummary) -> ChatCompletionResponse {
        ChatCompletionResponse(
            id: id, created: created, model: model, systemFingerprint: fingerprint,
            choices: [.init(message: .init(content: text), finishReason: summary.finishReason.openAIValue)],
            usage: OpenAIUsage(summary.usage), timings: OpenAITimings(summary))
    }

    /// The chunks for one event. The first text also opens the assistant's turn; `done` closes it and,
    /// when asked, adds the usage chunk whose `choices` is empty.
    func chatChunks(for event: GenerationEvent, includeUsage: Bool) -> [ChatCompletionChunk] {
        func chunk(_ delta: ChatDelta, finish: String? = nil) -> ChatCompletionChunk {
            ChatCompletionChunk(
                id: id, object: "chat.completion.chunk", created: created, model: model, systemFingerprint: fingerprint,
                choices: [.init(delta: delta, finishReason: finish)], usage: nil, includeUsageKey: includeUsage)
        }
        switch event {
        case .text(let text):
            return [chunk(.init(content: text))]
        case .reasoning, .toolCall, .logprobs:
            return []
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

    func completion(text: String, summary: GenerationSummary) -> CompletionResponse {
        CompletionResponse(
            id: id, object: "text_completion", created: created, model: model, systemFingerprint: fingerprint,
            choices: [.init(text: text, finishReason: summary.finishReason.openAIValue)],
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
        case .reasoning, .toolCall, .logprobs:
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
