import InferenceTypes
import SchemaGrammar

/// The tags a model writes around its reasoning.
public struct ReasoningSyntax: Sendable, Hashable, Codable {
    /// The tag that opens the reasoning, such as `<think>`.
    public var start: String
    /// The tag that closes it, such as `</think>`.
    public var end: String

    /// Creates a syntax from its two tags.
    public init(start: String, end: String) {
        self.start = start
        self.end = end
    }

    /// `<think>…</think>`: Qwen3, QwQ, DeepSeek-R1 and its distills, SmolLM3, GLM-4.5, Kimi K2, MiniMax-M2,
    /// Nemotron.
    public static let think = ReasoningSyntax(start: "<think>", end: "</think>")
    /// `<thinking>…</thinking>`: Apriel 1.5 and models tuned on that format.
    public static let thinking = ReasoningSyntax(start: "<thinking>", end: "</thinking>")
    /// `[THINK]…[/THINK]`: Magistral.
    public static let bracketThink = ReasoningSyntax(start: "[THINK]", end: "[/THINK]")
    /// `<|START_THINKING|>…<|END_THINKING|>`: Command R7B.
    public static let commandR = ReasoningSyntax(start: "<|START_THINKING|>", end: "<|END_THINKING|>")
    /// `<seed:think>…</seed:think>`: Seed-OSS.
    public static let seed = ReasoningSyntax(start: "<seed:think>", end: "</seed:think>")
    /// `<|inner_prefix|>…<|inner_suffix|>`: Apertus.
    public static let apertus = ReasoningSyntax(start: "<|inner_prefix|>", end: "<|inner_suffix|>")
    /// `<|begin_of_thought|>…<|end_of_thought|>`: OpenThoughts / Bespoke-Stratos style models.
    public static let beginOfThought = ReasoningSyntax(start: "<|begin_of_thought|>", end: "<|end_of_thought|>")
}
