import Conversation
import EngineSupport
import InferenceTypes
import ModelStore
import OrderedJSON

extension InferenceService {
    /// The request with the defaults of the derived model it names applied under what it sets itself, and
    /// addressed to the base model's file, so that the base's loaded engine serves it (the weights are never
    /// loaded twice): the definition's system prompt when the conversation has none, its messages before
    /// the conversation (after its system prompt), its parameters where the request leaves them out. A
    /// request to a model without a definition is returned as it is, with no template.
    /// - Parameter named: the model the request names, as `model(named:)` found it.
    /// - Returns: the model to lease (the base's for a derived model), the request, and the definition's Jinja
    ///   template when it has one (rendered by `leasedInput` once the model is leased).
    func applyingDerivedDefaults(_ request: GenerationRequest, named: ModelDescriptor)
        -> (descriptor: ModelDescriptor, request: GenerationRequest, template: String?)
    {
        guard let definition = registry.derivedDefinition(of: named) else { return (named, request, nil) }
        var request = request
        request.model = named.fileName
        // The base is listed first under the file both share, so the loaded engine is named after it.
        let descriptor = registry.resolve(named.fileName) ?? named
        let parameters = definition.parameters
        request.sampling.temperature = request.sampling.temperature ?? parameters.temperature
        request.sampling.topP = request.sampling.topP ?? parameters.topP
        request.sampling.topK = request.sampling.topK ?? parameters.topK
        request.sampling.minP = request.sampling.minP ?? parameters.minP
        request.sampling.repeatPenalty = request.sampling.repeatPenalty ?? parameters.repeatPenalty
        request.sampling.repeatLastN = request.sampling.repeatLastN ?? parameters.repeatLastN
        request.sampling.presencePenalty = request.sampling.presencePenalty ?? parameters.presencePenalty
        request.sampling.frequencyPenalty = request.sampling.frequencyPenalty ?? parameters.frequencyPenalty
        if request.sampling.seed == nil, let seed = parameters.seed, seed >= 0 {
            request.sampling.seed = UInt32(truncatingIfNeeded: seed)
        }
        if request.maxTokens == nil, let limit = parameters.numPredict, limit > 0 { request.maxTokens = limit }
        if request.stop.isEmpty { request.stop = parameters.stop ?? [] }
        request.contextLength = request.contextLength ?? parameters.numCtx
        guard case .chat(let messages) = request.input else { return (descriptor, request, nil) }
        let system = messages.prefix { $0.role == .system }
        var leading = Array(system)
        if leading.isEmpty, let prompt = definition.system, !prompt.isEmpty {
            leading.append(ChatMessage(role: .system, content: prompt))
        }
        leading += definition.messages.compactMap { message in
            ChatMessage.Role(rawValue: message.role).map { ChatMessage(role: $0, content: message.content) }
        }
        request.input = .chat(leading + messages.dropFirst(system.count))
        return (descriptor, request, definition.template)
    }

    /// The request's input as the leased model's engine is to get it, before its chat template: the named
    /// prompt cache's text first (`useCache`), and a derived model's own template rendered. `generate` and
    /// `countTokens` both go through here, so a count is of what a generation would evaluate.
    /// - Returns: the request, and the prompt cache it starts from.
    func leasedInput(_ request: GenerationRequest, template: String?, on lease: ModelLease) async throws
        -> (request: GenerationRequest, cache: PromptCacheEntry?)
    {
        var request = request
        let cache = try request.useCache.map { (name) throws(InferenceError) in try promptCache(name, for: lease) }
        if let cache { request.input = Self.input(request.input, startingWith: cache) }
        request.input = try await Self.renderingDerivedTemplate(
            request.input, template: template, request: request, info: lease.engine.info)
        return (request, cache)
    }

    /// A conversation rendered through a derived model's own Jinja template (checked when it was created),
    /// with the model's special tokens; any other input is returned as it is. The engine then reads the
    /// output as plain text: reasoning and tool calls are split out only under the model's own template.
    static func renderingDerivedTemplate(
        _ input: GenerationInput, template: String?, request: GenerationRequest, info: ModelInfo
    ) async throws -> GenerationInput {
        guard let template, case .chat(let messages) = input else { return input }
        let renderer = try ChatTemplateRenderer(
            template: template, bosToken: info.bosToken ?? "", eosToken: info.eosToken ?? "")
        var variables = request.templateVariables
        if let thinking = request.thinking, variables["enable_thinking"] == nil {
            variables["enable_thinking"] = .bool(thinking)
        }
        let tools = request.toolChoice == .none ? [] : request.tools
        return .rendered(
            try await renderer.prompt(messages: messages, tools: tools, addGenerationPrompt: true, variables: variables)
        )
    }
}
