import EngineSupport
public import InferenceTypes
import Jinja
public import OrderedJSON
import SchemaGrammar

/// Renders a model's own chat template (GGUF `tokenizer.chat_template`) the way Hugging Face transformers'
/// `apply_chat_template` does, so the prompt the model sees is the one it was trained on.
public struct ChatTemplateRenderer: Sendable {
    private let template: JinjaTemplate
    private let bosToken: String
    private let eosToken: String
    private let modelName: String
    private let limits: JinjaLimits
    /// Whether the template reads the `tools` variable anywhere: when it does not, the tools a request offers
    /// would be dropped, and the core shows them through its generic tool prompt (`GenericToolPrompt`).
    public let readsTools: Bool
    /// Whether the template knows a `tool` role (it names the role `'tool'` or `'ipython'`, or reads
    /// `tool_call_id`); without one, tool results are sent as user messages.
    public let hasToolRole: Bool

    /// Parses the template once; a template the engine cannot run fails here as `.modelLoadFailed`.
    ///
    /// Every render runs under budgets (4 MiB of output, 4 MiB per string, 100000 items per list and
    /// `range`, 5 million steps of work, 50 nested macro calls) and `timeLimit` of wall time.
    /// - Parameters:
    ///   - modelName: names the model in the error when the template cannot be used.
    ///   - timeLimit: the longest one render may take.
    public init(
        template: String, bosToken: String, eosToken: String, modelName: String = "model",
        timeLimit: Duration = .seconds(2)
    ) throws(InferenceError) {
        do {
            self.template = try JinjaTemplate(template)
        } catch {
            throw .modelLoadFailed(model: modelName, reason: "its chat template cannot be used: \(error)")
        }
        self.bosToken = bosToken
        self.eosToken = eosToken
        self.modelName = modelName
        limits = JinjaLimits(timeLimit: timeLimit)
        readsTools = self.template.referencedNames.contains("tools")
        let literals = self.template.stringLiterals
        hasToolRole = !literals.isDisjoint(with: ["tool", "ipython", "tool_call_id"])
    }

    /// Renders the conversation into the prompt text.
    ///
    /// The context is what transformers passes: `messages`, `tools` (`None` when there are none),
    /// `add_generation_prompt`, `bos_token`, `eos_token`, plus `variables` (chat_template_kwargs such as
    /// `enable_thinking`). A template that refuses the conversation (`raise_exception`) or fails on it answers
    /// `.invalidRequest` with its message; so does a template that runs past one of its budgets, naming it
    /// ("the model's chat template exceeded its output budget of 4 MiB"). It renders on the caller's thread:
    /// from async code use `prompt(messages:tools:addGenerationPrompt:variables:)`.
    /// - Parameter isCancelled: checked every few steps; once it returns true the render stops with
    ///   `.cancelled`.
    public func render(
        messages: [ChatMessage], tools: [JSONValue], addGenerationPrompt: Bool, variables: [String: JSONValue],
        isCancelled: (@Sendable () -> Bool)? = nil
    ) throws(InferenceError) -> String {
        let context = context(
            messages: messages, tools: tools, addGenerationPrompt: addGenerationPrompt, variables: variables)
        do {
            return try template.render(context, limits: limits, isCancelled: isCancelled)
        } catch {
            switch error.kind {
            case .raised: throw .invalidRequest(error.message)
            case .cancelled: throw .cancelled
            case .budgetExceeded: throw .invalidRequest(Self.budgetMessage(error))
            default: throw .invalidRequest("the model's chat template failed on this conversation: \(error)")
            }
        }
    }

    /// What transformers passes the template: the variables, then `messages`, `tools` (`None` when there
    /// are none), `add_generation_prompt`, `bos_token` and `eos_token`.
    private func context(
        messages: [ChatMessage], tools: [JSONValue], addGenerationPrompt: Bool, variables: [String: JSONValue]
    ) -> [String: JinjaValue] {
        var context: [String: JinjaValue] = [:]
        for (name, value) in variables { context[name] = JinjaValue(value) }
        context["messages"] = .array(messages.map(Self.messageValue))
        context["tools"] = tools.isEmpty ? JinjaValue.none : .array(tools.map(JinjaValue.init))
        context["add_generation_prompt"] = .bool(addGenerationPrompt)
        context["bos_token"] = .string(bosToken)
        context["eos_token"] = .string(eosToken)
        return context
    }

    /// "the model's chat template exceeded its output budget of 4 MiB (template line 3)".
    private static func budgetMessage(_ error: JinjaError) -> String {
        let place = error.line.map { " (template line \($0))" } ?? ""
        return "the model's chat template exceeded its \(error.budget.map { "\($0)" } ?? "budget")\(place)"
    }

    /// Renders the conversation into the prompt text on the template render threads, never on Swift's
    /// cooperative pool; cancelling the calling task stops the render (`.cancelled`). Fails as `render` does.
    public func prompt(
        messages: [ChatMessage], tools: [JSONValue], addGenerationPrompt: Bool, variables: [String: JSONValue],
        pool: TemplateRenderPool = .shared
    ) async throws(InferenceError) -> String {
        try await pool.run { flag throws(InferenceError) in
            try render(
                messages: messages, tools: tools, addGenerationPrompt: addGenerationPrompt, variables: variables,
                isCancelled: { flag.isCancelled })
        }
    }

    /// Renders a small conversation (system, user, assistant, user) as a model load does, so that a
    /// template that runs past its budgets on any input fails the load instead of every request. A template
    /// that refuses the conversation or fails on it otherwise passes: a real conversation may suit it.
    public func checkBudgets(pool: TemplateRenderPool = .shared) async throws(InferenceError) {
        let conversation = [
            ChatMessage(role: .system, content: "You are a helpful assistant."),
            ChatMessage(role: .user, content: "Hello!"), ChatMessage(role: .assistant, content: "Hi, how can I help?"),
            ChatMessage(role: .user, content: "What is the capital of France?"),
        ]
        let context = context(messages: conversation, tools: [], addGenerationPrompt: true, variables: [:])
        let exceeded = try await pool.run { flag throws(InferenceError) -> String? in
            do throws(JinjaError) {
                _ = try template.render(context, limits: limits) { flag.isCancelled }
                return nil
            } catch {
                if case .cancelled = error.kind { throw .cancelled }
                return error.budget == nil ? nil : Self.budgetMessage(error)
            }
        }
        if let exceeded {
            throw .modelLoadFailed(model: modelName, reason: "\(exceeded) rendering a four-message conversation")
        }
    }

    /// A message as transformers hands it to the template.
    static func messageValue(_ message: ChatMessage) -> JinjaValue {
        var object = JinjaObject([
            (key: "role", value: .string(message.role.rawValue)), (key: "content", value: .string(message.content)),
        ])
        if let reasoning = message.reasoning { object["reasoning_content"] = .string(reasoning) }
        if !message.toolCalls.isEmpty {
            object["tool_calls"] = .array(message.toolCalls.map(toolCallValue))
        }
        if let toolCallID = message.toolCallID { object["tool_call_id"] = .string(toolCallID) }
        if let toolName = message.toolName { object["name"] = .string(toolName) }
        return .object(object)
    }

    /// `{"id", "type": "function", "function": {"name", "arguments"}}`, the arguments as an object when they
    /// are JSON text, else as the text itself.
    static func toolCallValue(_ call: ToolCall) -> JinjaValue {
        let arguments: JinjaValue
        if let parsed = try? JSONValue(parsing: call.arguments) {
            arguments = JinjaValue(parsed)
        } else {
            arguments = .string(call.arguments)
        }
        let function = JinjaObject([(key: "name", value: .string(call.name)), (key: "arguments", value: arguments)])
        return .object(
            JinjaObject([
                (key: "id", value: .string(call.id)), (key: "type", value: .string("function")),
                (key: "function", value: .object(function)),
            ]))
    }
}
