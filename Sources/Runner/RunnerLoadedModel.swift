import InferenceTypes

/// What a runner reports once its model is loaded: what the engine learnt of the model, and how many
/// generations it runs at once.
struct RunnerLoadedModel: Sendable {
    /// What is known of the model.
    var info: ModelInfo
    /// Generations the engine runs at once.
    var slots: Int
}
