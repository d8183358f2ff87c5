/// How many tokens a model may spend reasoning before the engine ends its reasoning: when the budget is
/// spent inside the reasoning block, the engine puts `closing` into the sequence (llama.cpp feeds its tokens;
/// RKLLM continues with a second run whose prompt ends with it) and the model goes on to answer.
public struct ReasoningLimit: Sendable, Hashable, Codable {
    /// The most tokens of reasoning; 0 closes a reasoning block as soon as it opens.
    public var budget: Int
    /// The tag that opens the reasoning, such as `<think>`; its tokens do not count.
    public var start: String
    /// The tag that ends the reasoning, such as `</think>`: the model closing it itself stops the count.
    public var end: String
    /// What is put into the sequence when the budget is spent: the end tag and the white space after it.
    public var closing: String
    /// Whether the prompt already opened the reasoning block (a template that ends with `<think>\n`).
    public var startsInReasoning: Bool

    /// Creates a limit.
    public init(budget: Int, start: String, end: String, closing: String? = nil, startsInReasoning: Bool) {
        self.budget = max(0, budget)
        self.start = start
        self.end = end
        self.closing = closing ?? end + "\n\n"
        self.startsInReasoning = startsInReasoning
    }
}
