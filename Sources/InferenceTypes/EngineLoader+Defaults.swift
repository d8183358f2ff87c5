extension EngineLoader {
    /// Ignores the context asked for: this loader loads every model with its configured context.
    public func load(_ model: ModelDescriptor, contextLength: Int?) async throws -> any Engine {
        try await load(model)
    }

    /// Nothing is known of a model before this loader loads it.
    public func preview(_ model: ModelDescriptor) -> ModelInfo? {
        nil
    }
}
