import EngineSupport
import InferenceTypes

/// A member's reasoning budget: counts its reasoning tokens and keeps the text it wrote, which the
/// continuation's prompt repeats. Used only on the model thread.
struct RKLLMReasoningBudget {
    private var tracker: ReasoningBudgetTracker
    /// The limit enforced.
    var limit: ReasoningLimit { tracker.limit }
    /// What the member has written so far.
    private(set) var written = ""
    /// Whether a reasoning block is open: started and not closed.
    var isReasoning: Bool { tracker.isReasoning }
    /// Whether the budget ran out with the reasoning open: the run ends and a continuation closes it.
    private(set) var isSpent = false

    init(limit: ReasoningLimit) {
        tracker = ReasoningBudgetTracker(limit: limit)
    }

    /// Takes one token's text (empty for part of a character); returns true when the budget is spent now.
    mutating func feed(_ text: String) -> Bool {
        written += text
        guard !isSpent, tracker.feed(text) else { return false }
        isSpent = true
        return true
    }

    /// A run's figures with those of the run it continues, if any: one generation's usage and timings.
    static func combined(_ usage: Usage, _ timings: Timings, with carried: RKLLMCarriedRun?, generated: Int)
        -> (Usage, Timings)
    {
        guard let carried else { return (usage, timings) }
        // The continuation's prompt repeats the first run's answer: without the first run's own count, the
        // prompt is the continuation's less what the first run generated.
        let prompt = carried.promptTokens ?? max(0, usage.promptTokens - carried.completionTokens)
        let total = Usage(
            promptTokens: prompt, cachedTokens: carried.cachedTokens,
            completionTokens: carried.completionTokens + max(usage.completionTokens, generated))
        let time = Timings(
            queueNanos: carried.timings.queueNanos, promptEvalNanos: carried.timings.promptEvalNanos,
            evalNanos: carried.timings.evalNanos + timings.queueNanos + timings.promptEvalNanos + timings.evalNanos)
        return (total, time)
    }
}
