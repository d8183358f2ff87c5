import InferenceCore
import InferenceTypes
import Logging
import ModelStore
import TestSupport

/// A core over scripted engines: a models directory of `models`, a manager and a service.
struct ScriptedCore {
    let service: InferenceService
    let manager: ModelManager
    let loader: ScriptedEngineLoader

    init(
        models: [String] = ["alpha"], keepAlive: KeepAlive = .forever, maxQueueDepth: Int = 16,
        maxLoadedModels: Int = 3,
        timeLimits: GenerationTimeLimits? = nil,
        make: @escaping @Sendable (ModelDescriptor) async throws -> ScriptedEngine = { _ in ScriptedEngine() }
    ) throws {
        loader = ScriptedEngineLoader(make: make)
        manager = ModelManager(
            loaders: [loader], defaultKeepAlive: keepAlive, maxQueueDepth: maxQueueDepth,
            limits: ModelManager.Limits(maxLoadedModels: maxLoadedModels), logger: Logger(label: "test"))
        service = InferenceService(
            registry: ModelRegistry(directory: try ScriptedModels.directory(models)), manager: manager,
            timeLimits: timeLimits)
    }

    /// A one-message chat request for `model`.
    static func chat(_ model: String = "alpha", _ text: String = "Hi") -> GenerationRequest {
        GenerationRequest(model: model, input: .chat([ChatMessage(role: .user, content: text)]))
    }

    /// The ids of the loaded models.
    func loaded() async -> [String] {
        await manager.loadedModels().map(\.descriptor.id)
    }

    /// Waits (up to about a second) until `condition` holds; for what the core does on its own time.
    static func eventually(_ condition: () async -> Bool) async throws -> Bool {
        for _ in 0..<100 {
            if await condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return await condition()
    }
}
