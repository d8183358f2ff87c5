import Conversation
import EngineSupport
public import InferenceTypes
import ModelStore

extension InferenceService {
    /// What the model can really do, as `/api/show` and `/api/tags` list it and the dialects check requests:
    ///
    /// - `completion`: every model but an embedding model (a GGUF header's encoder architecture such as
    ///   BERT's, a pooling type, or attention that is not causal).
    /// - `embedding`: only such embedding models. llama.cpp can pool any model's hidden states, and `/api/embed`
    ///   still does for a chat model, but its vectors are poor ones: Open WebUI offers the models listed with
    ///   `embedding` in its embedding-model picker, and a list of every chat model there would mislead. RKLLM
    ///   models when their engine says so (`ModelInfo.embedding`: an `.rkllm` embedding model).
    /// - none at all for a reranker (`ModelInfo.reranking`): it only scores documents (`/v1/rerank`).
    /// - `tools`: a chat model that can take a request with tools: one the core renders a chat template for
    ///   (its template renders the tools, or the core's generic tool prompt does when it does not), or an RKLLM
    ///   model whose runtime renders the conversation and calls functions itself (`rkllm_set_function_tools`,
    ///   which every runtime this server loads, 1.2.1 onwards, has). A GGUF model without a chat template is
    ///   rendered by llama.cpp's built-in formats, which know no tools: not listed.
    /// - `thinking`: as `ConversationProfile.canThink` decides (reasoning tags or `enable_thinking` in the
    ///   template, or the engine knows the family thinks), from the loaded model's profile or, when it is not
    ///   loaded, from what its engine would report (`EngineLoader.preview`): the same answer either way.
    /// - `vision`: the engine reads images (`ModelInfo.vision`: an RKLLM model paired with its RKNN vision
    ///   encoder), loaded or as its engine would report it.
    ///
    /// A model that is not loaded is read from its file's header and sidecar, once per version of them.
    public func capabilities(of model: ModelDescriptor) async -> ModelCapabilities {
        let embeddingModel = ModelDetails.of(model).isEmbeddingModel
        if let loaded = await manager.loadedModel(model) {
            return Self.capabilities(
                of: model, info: loaded.engine.info, canThink: loaded.conversation.canThink,
                embeddingModel: embeddingModel)
        }
        let manager = self.manager
        return ModelCapabilityCache.shared.capabilities(of: model) {
            guard let info = manager.preview(model) else {
                return ModelCapabilities(completion: !embeddingModel, embedding: embeddingModel)
            }
            return Self.capabilities(
                of: model, info: info, canThink: ConversationProfile.canThink(info), embeddingModel: embeddingModel)
        }
    }

    /// The capabilities of a model whose engine reports (or would report) `info`.
    static func capabilities(of model: ModelDescriptor, info: ModelInfo, canThink: Bool, embeddingModel: Bool)
        -> ModelCapabilities
    {
        guard !embeddingModel, !info.embedding else { return ModelCapabilities(completion: false, embedding: true) }
        guard !info.reranking else { return ModelCapabilities(completion: false) }
        let takesTools = info.chatTemplate != nil || model.format == .rkllm
        return ModelCapabilities(completion: true, tools: takesTools, thinking: canThink, vision: info.vision)
    }
}
