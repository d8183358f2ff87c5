public import InferenceTypes

extension ConversationProfile {
    /// Whether a model can think, from what its engine reports (`ModelInfo.canThink`) or its chat template
    /// (it mentions the reasoning tags or `enable_thinking`). The one rule for a loaded model's profile and for
    /// the capabilities of a model that is not loaded (from `EngineLoader.preview`), so both say the same.
    public static func canThink(_ info: ModelInfo, syntax: ReasoningSyntax = .think) -> Bool {
        info.canThink
            || info.chatTemplate.map {
                $0.contains(syntax.start) || $0.contains(syntax.end) || $0.contains("enable_thinking")
            } ?? false
    }
}
