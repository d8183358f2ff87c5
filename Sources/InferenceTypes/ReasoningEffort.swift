/// How hard a model that can think should think, as clients name it: OpenAI's `reasoning.effort` /
/// `reasoning_effort` and Ollama's `think` levels. `none` is not a level: it is `thinking: false`.
public enum ReasoningEffort: String, Sendable, Hashable, Codable, CaseIterable {
    case minimal, low, medium, high, xhigh, max
}
