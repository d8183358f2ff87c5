import EngineSupport
import InferenceTypes
import Testing

@Suite("Counting a model's reasoning tokens against its budget")
struct ReasoningBudgetTrackerTests {
    static func limit(_ budget: Int, startsInReasoning: Bool = false) -> ReasoningLimit {
        ReasoningLimit(budget: budget, start: "<think>", end: "</think>", startsInReasoning: startsInReasoning)
    }

    /// How many tokens after `tokens[0]` it takes for the tracker to say the budget is spent (nil: never).
    static func spentAt(_ tracker: inout ReasoningBudgetTracker, _ tokens: [String]) -> Int? {
        for (index, token) in tokens.enumerated() where tracker.feed(token) { return index }
        return nil
    }

    @Test("the tokens after the opening tag count, a tag split over tokens included")
    func countsAfterTheOpeningTag() {
        var tracker = ReasoningBudgetTracker(limit: Self.limit(3))
        let tokens = ["<th", "ink>", "a", "b", "c", "d"]
        #expect(Self.spentAt(&tracker, tokens) == 4)
        #expect(!tracker.isReasoning)
        let more = tracker.feed("more")
        #expect(!more)
    }

    @Test("a prompt that opened the reasoning counts from the first token")
    func countsFromTheStart() {
        var tracker = ReasoningBudgetTracker(limit: Self.limit(2, startsInReasoning: true))
        #expect(Self.spentAt(&tracker, ["a", "b", "c"]) == 1)
    }

    @Test("a model that closes its reasoning in time is never cut, and an answer without reasoning is not counted")
    func closingInTimeIsNotCut() {
        var tracker = ReasoningBudgetTracker(limit: Self.limit(4))
        #expect(Self.spentAt(&tracker, ["<think>", "a", "</", "think>", "x", "y", "z", "w", "v"]) == nil)
        var plain = ReasoningBudgetTracker(limit: Self.limit(1))
        #expect(Self.spentAt(&plain, ["Hello", " there", ",", " friend"]) == nil)
    }

    @Test("a budget of 0 closes the reasoning as soon as it opens")
    func zeroClosesAtOnce() {
        var tracker = ReasoningBudgetTracker(limit: Self.limit(0))
        #expect(Self.spentAt(&tracker, ["<think>", "a"]) == 0)
    }
}
