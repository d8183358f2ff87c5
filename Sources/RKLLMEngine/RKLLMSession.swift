import CRKLLM
import EngineSupport
import InferenceTypes
import OrderedJSON
import Synchronization

/// A loaded `.rkllm` model and the generation loop around `rkllm_run`.
///
/// Only ever touched on the engine's model thread, except `abort(ifRunning:)`.
final class RKLLMSession {
    let configuration: RKLLMModelConfiguration
    private var handle: RKLLMHandle?
    private let tap = RKLLMOutputTap.shared()
    /// The cancellation flag of the generation that is inside `rkllm_run`, so that an abort reaches it
    /// and never a later one.
    private let running = Mutex<CancellationFlag?>(nil)
    // The handle's pointer, for aborting from other threads; rkllm_abort is thread-safe.
    nonisolated(unsafe) private let abortTarget: RKLLMHandle?
    /// The files of the prompt prefixes seen so far, `nil` when prompt caching is off.
    let promptCacheFiles: RKLLMPromptCacheFiles?
    /// The runtime and model file, which a prompt-cache file is valid for.
    let identity: String

    init(
        handle: RKLLMHandle, configuration: RKLLMModelConfiguration, promptCacheFiles: RKLLMPromptCacheFiles? = nil,
        identity: String = ""
    ) {
        self.handle = handle
        self.configuration = configuration
        self.promptCacheFiles = promptCacheFiles
        self.identity = identity
        abortTarget = handle
    }

    /// The handle, `nil` once the model is closed.
    var currentHandle: RKLLMHandle? { handle }

    /// Stops the generation `cancellation` belongs to, if it is the one running.
    func abort(ifRunning cancellation: CancellationFlag) {
        running.withLock { current in
            if current === cancellation { abortTarget?.abort() }
        }
    }

    /// Destroys the model, within `timeout` seconds.
    func close(timeout: Double) -> Bool {
        defer { handle = nil }
        return handle?.destroy(timeout: timeout) ?? true
    }

    /// Runs one generation to its end, reporting through `continuation`.
    func run(
        _ request: EngineRequest, cancellation: CancellationFlag, queueNanos: UInt64,
        continuation: AsyncThrowingStream<EngineEvent, any Error>.Continuation
    ) {
        guard let handle else {
            continuation.finish(throwing: InferenceError.engineFailure("the model \(configuration.name) was unloaded"))
            return
        }
        guard !cancellation.isCancelled else {
            continuation.finish(throwing: InferenceError.cancelled)
            return
        }
        if let refusal = Self.unsupportedFeature(of: request) {
            continuation.finish(throwing: refusal)
            return
        }
        let thinking = request.thinking ?? configuration.thinksByDefault
        let cachedTokens: Int
        do {
            cachedTokens = try preparePromptCache(for: request, thinking: thinking, on: handle)
        } catch {
            continuation.finish(throwing: error)
            return
        }
        let (input, role) = prompt(for: request, thinking: thinking, on: handle)
        let maxTokens = min(request.maxTokens ?? configuration.maxNewTokens, configuration.maxNewTokens)
        let generation = RKLLMGeneration(
            continuation: continuation, cancellation: cancellation, maxTokens: maxTokens, stops: request.stop)
        let start = MonotonicClock.now()
        running.withLock { $0 = cancellation }
        let status = withExtendedLifetime(generation) {
            handle.run(
                input: input, role: role, thinking: thinking,
                maxNewTokens: maxTokens, sampling: merged(request.sampling),
                userdata: Unmanaged.passUnretained(generation).toOpaque())
        }
        running.withLock { $0 = nil }
        if generation.paused || cancellation.isCancelled { handle.clearHistory() }
        guard status == 0, !generation.failed else {
            let reason = tap.lastError(since: start) ?? "rkllm_run returned \(status)"
            // Nothing generated: the input itself was refused (too long for the context, most often).
            let error: InferenceError =
                generation.generated == 0
                ? .invalidRequest("the RKLLM runtime refused the prompt: \(reason)")
                : .engineFailure(reason)
            continuation.finish(throwing: error)
            return
        }
        generation.flush()
        continuation.yield(.done(summary(of: generation, cachedTokens: cachedTokens, queueNanos: queueNanos)))
        continuation.finish()
    }

    /// What a request asks for that the RKLLM runtime cannot do: constrained decoding and log-probabilities.
    static func unsupportedFeature(of request: EngineRequest) -> InferenceError? {
        if request.grammar != nil {
            return .invalidRequest(
                "structured output needs a GGUF model on the llama.cpp engine; the RKLLM runtime cannot constrain decoding"
            )
        }
        if request.logprobs != nil {
            return .invalidRequest(
                "logprobs need a GGUF model on the llama.cpp engine; the RKLLM runtime does not report token probabilities"
            )
        }
        return nil
    }

    /// The text and role `rkllm_run` gets, after setting the template pieces it will wrap the text in and
    /// the tools it offers the model.
    private func prompt(for request: EngineRequest, thinking: Bool, on handle: RKLLMHandle) -> (String, String) {
        switch request.input {
        case .text(let text):
            handle.applyTools(nil)
            guard configuration.format != nil else { return (text, "user") }
            handle.applyTemplate(system: "", prefix: "", postfix: "")
            return (text, "user")
        case .rendered(let text):
            // The core rendered the conversation, tools included, with the model's own template.
            handle.applyTools(nil)
            handle.applyTemplate(system: "", prefix: "", postfix: "")
            return (text, "user")
        case .chat(let messages):
            guard let format = configuration.format else {
                handle.applyTools(nil)
                return (Self.plainText(messages), "user")
            }
            let tools = Self.toolsJSON(request)
            let results = tools == nil ? nil : format.renderToolResults(messages, thinking: thinking)
            let rendered = results ?? format.render(messages, thinking: thinking)
            if let tools {
                // With tools the runtime writes the system part itself, the system prompt inside it.
                let system = messages.filter { $0.role == .system }.map(\.content).joined(separator: "\n\n")
                handle.applyTools((system: system, tools: tools))
                handle.applyTemplate(system: "", prefix: rendered.promptPrefix, postfix: rendered.promptPostfix)
            } else {
                handle.applyTools(nil)
                handle.applyTemplate(
                    system: rendered.systemPrompt, prefix: rendered.promptPrefix, postfix: rendered.promptPostfix)
            }
            return (rendered.input, results == nil ? "user" : "tool")
        }
    }

    /// The request's tools as the JSON array `rkllm_set_function_tools` takes; `nil` without tools (the core
    /// offers none for `tool_choice` none).
    static func toolsJSON(_ request: EngineRequest) -> String? {
        guard !request.tools.isEmpty else { return nil }
        return JSONValue.array(request.tools).serialized()
    }

    /// A conversation for a model whose format is not known: the runtime's built-in template wraps it as
    /// one user turn, so the earlier turns go in as labelled plain text.
    static func plainText(_ messages: [ChatMessage]) -> String {
        guard messages.count > 1 else { return messages.first?.content ?? "" }
        return messages.map { message in
            switch message.role {
            case .system: "System: \(message.content)"
            case .user: "User: \(message.content)"
            case .assistant: "Assistant: \(message.content)"
            case .tool: "Tool result: \(message.content)"
            }
        }.joined(separator: "\n\n")
    }

    /// The request's sampling, with the model's defaults for what it leaves out.
    private func merged(_ request: SamplingOptions) -> SamplingOptions {
        let model = configuration.sampling
        return SamplingOptions(
            temperature: request.temperature ?? model.temperature, topK: request.topK ?? model.topK,
            topP: request.topP ?? model.topP, repeatPenalty: request.repeatPenalty ?? model.repeatPenalty,
            presencePenalty: request.presencePenalty ?? model.presencePenalty,
            frequencyPenalty: request.frequencyPenalty ?? model.frequencyPenalty)
    }

    /// The summary of a finished run. The runtime counts in `prefill_tokens` only the tokens it evaluated, so
    /// the prompt is those and the ones the prompt-cache file held.
    private func summary(of generation: RKLLMGeneration, cachedTokens: Int, queueNanos: UInt64) -> GenerationSummary {
        let perf = generation.perf
        let finish: FinishReason =
            generation.cancellation.isCancelled
            ? .cancelled
            : generation.stoppedByString ? .stop : generation.reachedLimit ? .length : .stop
        return GenerationSummary(
            finishReason: finish,
            usage: Usage(
                promptTokens: Int(perf?.prefill_tokens ?? 0) + cachedTokens, cachedTokens: cachedTokens,
                completionTokens: max(Int(perf?.generate_tokens ?? 0), generation.generated)),
            timings: Timings(
                queueNanos: queueNanos, promptEvalNanos: UInt64(max(0, perf?.prefill_time_ms ?? 0) * 1e6),
                evalNanos: UInt64(max(0, perf?.generate_time_ms ?? 0) * 1e6)))
    }
}

// Thread-confined: created on the model thread and used only there, except `abort(ifRunning:)`, which
// goes through the lock-guarded `running` flag and the runtime's thread-safe rkllm_abort.
extension RKLLMSession: @unchecked Sendable {}
