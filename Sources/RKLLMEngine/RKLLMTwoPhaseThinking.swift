import EngineSupport
import InferenceTypes

/// Runtime 1.3.0's two-phase thinking: it reports FINISH at `</think>`, swallows the tag, and the answer never
/// comes. A member watches whether its reasoning is open; a FINISH that leaves it open (and not at the token
/// limit, a stop string or an EOS) is phase 1, and the engine runs phase 2 itself: a continuation whose prompt is
/// the first one, the reasoning and the closing tag, answering on the same stream. Used only on the model thread.
struct RKLLMTwoPhaseThinking {
    /// The model's reasoning tags.
    let tags: ReasoningLimit
    /// The reasoning watched, with a budget that never runs out: what was written and whether a block is open.
    private var reasoning: RKLLMReasoningBudget

    /// Watches a generation with the reasoning `tags` (whose budget is not used).
    init(tags: ReasoningLimit) {
        self.tags = tags
        var unlimited = tags
        unlimited.budget = .max
        reasoning = RKLLMReasoningBudget(limit: unlimited)
    }

    /// Takes one token's text.
    mutating func feed(_ text: String) {
        _ = reasoning.feed(text)
    }

    /// What the member has written so far, which the continuation's prompt repeats.
    var written: String { reasoning.written }

    /// Whether a reasoning block is open: started and not closed.
    var isOpen: Bool { reasoning.isReasoning }

    /// The tags to watch for a plan: only a model that can think can meet the fault (whatever the request said:
    /// DeepSeek-R1 reasons unasked, and only generated text opens a block), and only a prompt the engine can write
    /// out again (a known format, a user turn) can be continued; `nil` otherwise.
    /// Watched on both layouts: only 1.3.0 is known to end a run at `</think>`, but on any runtime a run that ends
    /// inside the reasoning (not at the token limit) left the client without an answer, which phase 2 gives.
    static func tags(
        for input: RKLLMInputText, template: [String]?, canThink: Bool, limit: ReasoningLimit?
    ) -> ReasoningLimit? {
        guard canThink, let template, template.count == 3, input.role == "user" else {
            return nil
        }
        let start = limit?.start ?? "<think>"
        let end = limit?.end ?? "</think>"
        // A prompt that opened the block itself (a template that ends with `<think>\n`).
        let prompt = template[1] + input.text + template[2]
        let opened = prompt.ranges(of: start).last.map { !prompt[$0.upperBound...].contains(end) } ?? false
        return ReasoningLimit(budget: 0, start: start, end: end, closing: limit?.closing, startsInReasoning: opened)
    }
}
