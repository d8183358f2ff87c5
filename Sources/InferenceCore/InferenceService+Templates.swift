import Conversation
import EngineSupport
public import InferenceTypes
import ModelStore
public import OrderedJSON
import SchemaGrammar

extension InferenceService {
    /// The prompt the model's chat template makes of a conversation, ending with the start of the assistant's
    /// turn (llama-server's `/apply-template`). `name` `nil` picks the default model.
    ///
    /// Throws `.invalidRequest` for a model whose engine renders conversations itself (an RKLLM model without
    /// a Jinja `chat_template` in its sidecar).
    public func applyTemplate(
        model name: String?, messages: [ChatMessage], tools: [JSONValue], variables: [String: JSONValue]
    ) async throws -> String {
        let lease = try await manager.acquire(try await defaultModel(preferring: name))
        defer { lease.release() }
        guard let renderer = lease.conversation.renderer else {
            throw InferenceError.invalidRequest(
                "model '\(lease.descriptor.id)' has no Jinja chat template; its runtime formats conversations itself")
        }
        return try await renderer.prompt(
            messages: messages, tools: tools, addGenerationPrompt: true, variables: variables)
    }

    /// The token ids of `text` in the model's vocabulary (llama-server's `/tokenize`); `name` `nil` picks the
    /// default model. Throws `.invalidRequest` for a runtime that cannot tokenize.
    public func tokenize(model name: String?, text: String, addSpecial: Bool, parseSpecial: Bool) async throws
        -> [Int]
    {
        let lease = try await manager.acquire(try await defaultModel(preferring: name))
        defer { lease.release() }
        return try await lease.engine.tokenize(text, addSpecial: addSpecial, parseSpecial: parseSpecial)
    }

    /// The text of token ids (llama-server's `/detokenize`); `name` `nil` picks the default model.
    public func detokenize(model name: String?, tokens: [Int]) async throws -> String {
        let lease = try await manager.acquire(try await defaultModel(preferring: name))
        defer { lease.release() }
        return try await lease.engine.detokenize(tokens)
    }
}

extension InferenceService {
    /// The tokens of the request's input as `generate` would give it to the engine: the conversation rendered
    /// with its tools and variables (a named prompt cache's text included). A runtime without a tokenizer
    /// gets an estimate: one token per three bytes of the text, rounded up.
    public func countTokens(_ request: GenerationRequest) async throws -> Int {
        let (descriptor, derived, template) = applyingDerivedDefaults(request, named: try model(named: request.model))
        _ = try await checkedImages(of: derived, model: descriptor)
        let lease = try await manager.acquire(descriptor)
        defer { lease.release() }
        let marked = Self.markingImages(derived, coreRenders: template != nil || lease.conversation.renderer != nil)
        let (request, _) = try await leasedInput(marked, template: template, on: lease)
        let (prepared, _) = try await lease.conversation.prepare(request)
        let text: String
        let parseSpecial: Bool
        switch prepared.input {
        case .rendered(let prompt): (text, parseSpecial) = (prompt, true)
        case .text(let prompt): (text, parseSpecial) = (prompt, false)
        case .chat(let messages):
            let lines = messages.map { "\($0.role.rawValue): \($0.content)" }
            (text, parseSpecial) = (lines.joined(separator: "\n"), false)
        }
        do {
            let addSpecial: Bool = if case .text = prepared.input { true } else { false }
            return try await lease.engine.tokenize(text, addSpecial: addSpecial, parseSpecial: parseSpecial).count
        } catch InferenceError.invalidRequest(let message) where message == InferenceError.cannotTokenize {
            return (text.utf8.count + 2) / 3
        }
    }
}
