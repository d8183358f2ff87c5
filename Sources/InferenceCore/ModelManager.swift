public import Logging

/// Keeps loaded models and loads them on first use. Two requests for a model that is loading share the
/// one load.
public actor ModelManager {
    /// A model that is in memory.
    public struct LoadedModel: Sendable {
        /// The file it came from.
        public var descriptor: ModelDescriptor
        /// The engine that runs it.
        public var engine: any Engine
        /// How long loading took, in nanoseconds.
        public var loadNanos: UInt64
    }

    private let loaders: [ModelFormat: any EngineLoader]
    private let logger: Logger
    private var loaded: [String: LoadedModel] = [:]
    private var loading: [String: Task<LoadedModel, any Error>] = [:]

    /// Creates a manager that loads each format with its loader.
    public init(loaders: [any EngineLoader], logger: Logger) {
        self.loaders = Dictionary(loaders.map { ($0.format, $0) }, uniquingKeysWith: { first, _ in first })
        self.logger = logger
    }

    /// The engine of a model, loading it first when needed. `loadNanos` is 0 when it was already loaded.
    public func engine(for descriptor: ModelDescriptor) async throws -> (engine: any Engine, loadNanos: UInt64) {
        if let model = loaded[descriptor.path] { return (model.engine, 0) }
        if let task = loading[descriptor.path] {
            let model = try await task.value
            return (model.engine, model.loadNanos)
        }
        guard let loader = loaders[descriptor.format] else {
            throw InferenceError.runtimeUnavailable("no engine for .\(descriptor.format.rawValue) models in this build")
        }
        let logger = self.logger
        let task = Task {
            let start = MonotonicClock.now()
            logger.info(
                "loading model", metadata: ["model.id": "\(descriptor.id)", "model.path": "\(descriptor.path)"])
            let engine = try await loader.load(descriptor)
            let nanos = MonotonicClock.since(start)
            logger.info(
                "model loaded",
                metadata: ["model.id": "\(descriptor.id)", "model.load_ms": "\(nanos / 1_000_000)"]
            )
            return LoadedModel(descriptor: descriptor, engine: engine, loadNanos: nanos)
        }
        loading[descriptor.path] = task
        defer { loading[descriptor.path] = nil }
        let model = try await task.value
        loaded[descriptor.path] = model
        return (model.engine, model.loadNanos)
    }

    /// The models in memory.
    public func loadedModels() -> [LoadedModel] {
        loaded.values.sorted { $0.descriptor.id < $1.descriptor.id }
    }

    /// Frees every loaded model.
    public func unloadAll() async {
        let models = loaded.values
        loaded.removeAll()
        for model in models {
            await model.engine.unload()
            logger.info("model unloaded", metadata: ["model.id": "\(model.descriptor.id)"])
        }
    }
}
