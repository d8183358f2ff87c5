import Conversation
import EngineSupport
import InferenceTypes
import Logging

extension ModelManager {
    /// Starts loading a model and parsing its chat template.
    func startLoad(_ descriptor: ModelDescriptor, with loader: any EngineLoader, contextLength: Int?)
        -> Task<LoadedModel, any Error>
    {
        let logger = self.logger
        let keepAlive = defaultKeepAlive
        return Task {
            let start = MonotonicClock.now()
            logger.info(
                "loading model", metadata: ["model.id": "\(descriptor.id)", "model.path": "\(descriptor.path)"])
            let engine = try await loader.load(descriptor, contextLength: contextLength)
            let conversation: ConversationProfile
            do {
                // Parsed once per loaded model; a template that cannot be used fails the load, not a request.
                conversation = try ConversationProfile(
                    info: engine.info, modelName: descriptor.id, wantsCachePrefix: descriptor.format == .rkllm)
                try await conversation.checkTemplate()
            } catch {
                await engine.unload()
                throw error
            }
            let nanos = MonotonicClock.since(start)
            logger.info(
                "model loaded",
                metadata: [
                    "model.id": "\(descriptor.id)", "model.load_ms": "\(nanos / 1_000_000)",
                    "model.context": "\(engine.info.contextLength)",
                ])
            return LoadedModel(
                descriptor: descriptor, engine: engine, conversation: conversation, loadNanos: nanos, expiresAt: nil,
                keepAlive: keepAlive,
                activeRequests: 0)
        }
    }

    /// What loading `descriptor` would report, without loading it (`EngineLoader.preview`).
    nonisolated func preview(_ descriptor: ModelDescriptor) -> ModelInfo? {
        loaders[descriptor.format]?.preview(descriptor)
    }
}
