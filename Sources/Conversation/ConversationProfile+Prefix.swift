public import InferenceTypes
import OrderedJSON

extension ConversationProfile {
    /// The text the chat template makes of the leading system messages of `messages` at the start of any
    /// conversation (no generation prompt): what a prompt cache of a system prompt holds. `nil` when there is
    /// no leading system message, when the engine formats conversations itself, or when that text is not the
    /// start of the same conversation with a user turn after it (a template that renders the system turn
    /// differently once a user speaks, or refuses a conversation without one).
    public func promptPrefix(of messages: [ChatMessage]) async -> String? {
        let system = Array(messages.prefix { $0.role == .system })
        guard !system.isEmpty, let renderer else { return nil }
        guard
            let prefix = await renderedPrefix(of: system, tools: [], variables: [:]),
            let probe = try? await renderer.prompt(
                messages: system + [ChatMessage(role: .user, content: "?")], tools: [], addGenerationPrompt: true,
                variables: [:]),
            probe.hasPrefix(prefix)
        else { return nil }
        return prefix
    }

    /// The system turn of `system` rendered alone with `tools` and `variables`; `nil` when the template refuses
    /// it, or leaves a system prompt out of it (a template that moves it into the user's turn).
    func renderedPrefix(of system: [ChatMessage], tools: [JSONValue], variables: [String: JSONValue]) async
        -> String?
    {
        guard let renderer,
            let prefix = try? await renderer.prompt(
                messages: system, tools: tools, addGenerationPrompt: false, variables: variables),
            !prefix.isEmpty, system.allSatisfy({ prefix.contains($0.content) })
        else { return nil }
        return prefix
    }

    /// The input a prompt cache of the system prompt `prompt` is made from: its rendered start of a
    /// conversation, or the system message itself for an engine that formats conversations itself. Throws
    /// `.invalidRequest` when the template has no start of a conversation that holds the system prompt alone.
    public func cacheInput(systemPrompt prompt: String) async throws(InferenceError) -> GenerationInput {
        let system = [ChatMessage(role: .system, content: prompt)]
        guard renderer != nil else { return .chat(system) }
        guard let prefix = await promptPrefix(of: system) else {
            throw .invalidRequest(
                "model \(modelName)'s chat template does not begin every conversation with its system prompt; "
                    + "it cannot be cached")
        }
        return .rendered(prefix)
    }
}
