import EngineSupport
import InferenceTypes

/// What the first run of a generation whose reasoning budget was spent has reported, for the continuation to
/// add to its own figures: the client sees one generation.
struct RKLLMCarriedRun: Sendable {
    /// The first run's prompt tokens, `nil` when it ended before the runtime reported them.
    var promptTokens: Int?
    var cachedTokens: Int
    var completionTokens: Int
    var timings: Timings
}

extension RKLLMRunPlan {
    /// The limit this plan enforces: the request's, when the run's whole prompt can be written out again as
    /// the body of a second run (the model's own format is known and the input is not a tool result, which the
    /// runtime wraps in tags of its own).
    static func enforceableLimit(_ limit: ReasoningLimit?, input: RKLLMInputText, template: [String]?)
        -> ReasoningLimit?
    {
        guard let limit, let template, template.count == 3, input.role == "user" else { return nil }
        return limit
    }

    /// The run that goes on after the reasoning budget is spent (or runtime 1.3.0 ended the run at `</think>`,
    /// `twoPhaseClosing` then being the tags' closing): the runtime cannot take forced tokens, so its prompt is this
    /// run's prompt (prefix, body and postfix, as one body under the same system part), the reasoning so far and
    /// the closing tag; it answers on the same stream, with the tokens left.
    func continuation(written: String, generated: Int, carried: RKLLMCarriedRun, twoPhaseClosing: String? = nil)
        -> RKLLMRunPlan?
    {
        guard let closing = twoPhaseClosing ?? reasoningLimit?.closing, let template = settings.template,
            template.count == 3
        else { return nil }
        let body = template[1] + input.text + template[2] + written + closing
        var next = RKLLMRunPlan(
            input: RKLLMInputText(text: body, role: input.role, thinking: input.thinking),
            settings: RKLLMRunSettings(
                template: [template[0], "", ""], tools: settings.tools, sampling: settings.sampling),
            sampling: sampling, maxTokens: max(1, maxTokens - generated), stops: stops, cancellation: cancellation,
            continuation: continuation, submitted: MonotonicClock.now(), cachePrefix: cachePrefix,
            promptCache: promptCache)
        next.carried = carried
        next.endOfSequence = endOfSequence
        next.isSecondPhase = twoPhaseClosing != nil
        return next
    }
}
