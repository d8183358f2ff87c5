import Jinja
public import OrderedJSON

/// Renders a model's own chat template (GGUF `tokenizer.chat_template`) the way Hugging Face transformers'
/// `apply_chat_template` does, so the prompt the model sees is the one it was trained on.
public struct ChatTemplateRenderer: Sendable {
    private let template: JinjaTemplate
    private let bosToken: String
    private let eosToken: String

    /// Parses the template once; a template the engine cannot run fails here as `.modelLoadFailed`.
    ///
    /// - Parameter modelName: names the model in the error when the template cannot be used.
    public init(template: String, bosToken: String, eosToken: String, modelName: String = "model")
        throws(InferenceError)
    {
        do {
            self.template = try JinjaTemplate(template)
        } catch {
            throw .modelLoadFailed(model: modelName, reason: "its chat template cannot be used: \(error)")
        }
        self.bosToken = bosToken
        self.eosToken = eosToken
    }

    /// Renders the conversation into the prompt text.
    ///
    /// The context is what transformers passes: `messages`, `tools` (`None` when there are none),
    /// `add_generation_prompt`, `bos_token`, `eos_token`, plus `variables` (chat_template_kwargs such as
    /// `enable_thinking`). A template that refuses the conversation (`raise_exception`) or fails on it answers
    /// `.invalidRequest` with its message.
    public func render(
        messages: [ChatMessage], tools: [JSONValue], addGenerationPrompt: Bool, variables: [String: JSONValue]
    ) throws(InferenceError) -> String {
        var context: [String: JinjaValue] = [:]
        for (name, value) in variables { context[name] = JinjaValue(value) }
        context["messages"] = .array(messages.map(Self.messageValue))
        context["tools"] = tools.isEmpty ? JinjaValue.none : .array(tools.map(JinjaValue.init))
        context["add_generation_prompt"] = .bool(addGenerationPrompt)
        context["bos_token"] = .string(bosToken)
        context["eos_token"] = .string(eosToken)
        do {
            return try template.render(context)
        } catch  where error.isRaisedByTemplate {
            throw .invalidRequest(error.message)
        } catch {
            throw .invalidRequest("the model's chat template failed on this conversation: \(error)")
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
