import EngineSupport
import InferenceTypes
import OrderedJSON

/// One batch element's input to `rkllm_run`: the text, its role and the thinking switch.
struct RKLLMInputText: Sendable, Equatable {
    var text: String
    var role: String
    var thinking: Bool
}

/// What one `rkllm_run` applies to all of its batch elements: the handle's chat template and tools, and the
/// infer parameter's sampling. Requests are batched together only when theirs are equal.
struct RKLLMRunSettings: Sendable, Equatable {
    /// The system prompt, prefix and postfix for `rkllm_set_chat_template`; `nil` leaves the template as it is.
    var template: [String]?
    /// The system prompt and tools JSON for `rkllm_set_function_tools`; `nil` turns function calling off.
    var tools: [String]?
    /// The per-run sampling (1.3); `nil` on 1.2, whose sampling is fixed at load.
    var sampling: SamplingOptions?
}

/// A request waiting for its `rkllm_run`: its prompt, its run settings and the stream it answers on.
struct RKLLMRunPlan: Sendable {
    let input: RKLLMInputText
    let settings: RKLLMRunSettings
    /// The request's sampling with the model's defaults (what 1.3 runs with).
    let sampling: SamplingOptions
    let maxTokens: Int
    let stops: [String]
    let cancellation: CancellationFlag
    let continuation: AsyncThrowingStream<EngineEvent, any Error>.Continuation
    /// When the request reached the engine (a `MonotonicClock` reading).
    let submitted: UInt64
    /// The leading text of the input that is worth a prompt-cache file (`RKLLMSession.cacheablePrefix`).
    var cachePrefix: String? = nil
    /// The named prompt cache the request starts from.
    var promptCache: PromptCacheUse? = nil
    /// The reasoning budget to enforce (`enforceableLimit`), `nil` for none.
    var reasoningLimit: ReasoningLimit? = nil
    /// For the continuation of a run whose reasoning budget was spent: that run's figures.
    var carried: RKLLMCarriedRun? = nil
    /// The request's images, one per image marker of `input`; a plan with images runs alone.
    var images: [ImageData] = []

    /// The plan of `request`, or the error it is refused with.
    static func make(
        _ request: EngineRequest, configuration: RKLLMModelConfiguration, abi: RKLLMABI,
        cancellation: CancellationFlag, continuation: AsyncThrowingStream<EngineEvent, any Error>.Continuation
    ) -> Result<RKLLMRunPlan, InferenceError> {
        if let refusal = RKLLMSession.unsupportedFeature(of: request) { return .failure(refusal) }
        let thinking = request.thinking ?? configuration.thinksByDefault
        let (input, template, tools) = prompt(for: request, thinking: thinking, configuration: configuration)
        let sampling = merged(request.sampling, configuration.sampling)
        var plan = RKLLMRunPlan(
            input: input,
            settings: RKLLMRunSettings(template: template, tools: tools, sampling: abi == .v1_3 ? sampling : nil),
            sampling: sampling,
            maxTokens: min(request.maxTokens ?? configuration.maxNewTokens, configuration.maxNewTokens),
            stops: request.stop, cancellation: cancellation, continuation: continuation,
            submitted: MonotonicClock.now(),
            // The system prompt the template already holds: rendered once, for the run and for its cache key.
            cachePrefix: RKLLMSession.cacheablePrefix(
                of: request, runtimeSystemPrompt: tools == nil ? template?.first : nil),
            promptCache: request.promptCache)
        plan.reasoningLimit = enforceableLimit(request.reasoningLimit, input: input, template: template)
        if !request.images.isEmpty {
            if let refusal = imageRefusal(request, input: input, configuration: configuration) {
                return .failure(refusal)
            }
            plan.images = request.images
            // The prefill of images is neither a text prefix to cache nor a prompt to write out again.
            plan.cachePrefix = nil
            plan.reasoningLimit = nil
        }
        return .success(plan)
    }

    /// The input `rkllm_run` gets, with the template pieces it wraps the text in and the tools it offers.
    private static func prompt(
        for request: EngineRequest, thinking: Bool, configuration: RKLLMModelConfiguration
    ) -> (RKLLMInputText, [String]?, [String]?) {
        let empty = ["", "", ""]
        switch request.input {
        case .text(let text):
            let input = RKLLMInputText(text: text, role: "user", thinking: thinking)
            return (input, configuration.format == nil ? nil : empty, nil)
        case .rendered(let text):
            // The core rendered the conversation, tools included, with the model's own template.
            return (RKLLMInputText(text: text, role: "user", thinking: thinking), empty, nil)
        case .chat(let messages):
            guard let format = configuration.format else {
                let text = RKLLMSession.plainText(messages)
                return (RKLLMInputText(text: text, role: "user", thinking: thinking), nil, nil)
            }
            let toolsJSON = RKLLMSession.toolsJSON(request)
            let results = toolsJSON == nil ? nil : format.renderToolResults(messages, thinking: thinking)
            let rendered = results ?? format.render(messages, thinking: thinking)
            let input = RKLLMInputText(text: rendered.input, role: results == nil ? "user" : "tool", thinking: thinking)
            if let toolsJSON {
                // With tools the runtime writes the system part itself, the system prompt inside it.
                let system = messages.filter { $0.role == .system }.map(\.content).joined(separator: "\n\n")
                return (input, ["", rendered.promptPrefix, rendered.promptPostfix], [system, toolsJSON])
            }
            return (input, [rendered.systemPrompt, rendered.promptPrefix, rendered.promptPostfix], nil)
        }
    }

    /// The request's sampling, with the model's defaults for what it leaves out.
    private static func merged(_ request: SamplingOptions, _ model: SamplingOptions) -> SamplingOptions {
        SamplingOptions(
            temperature: request.temperature ?? model.temperature, topK: request.topK ?? model.topK,
            topP: request.topP ?? model.topP, repeatPenalty: request.repeatPenalty ?? model.repeatPenalty,
            presencePenalty: request.presencePenalty ?? model.presencePenalty,
            frequencyPenalty: request.frequencyPenalty ?? model.frequencyPenalty)
    }
}
