import InferenceTypes
import OrderedJSON

/// `system` and `messages` of a Messages request as the core's conversation.
///
/// A user turn's `tool_result` blocks become `tool` messages (before its text, as they answer the turn before);
/// an assistant turn's `text` blocks its content, its `tool_use` blocks its tool calls and its `thinking` blocks
/// its reasoning. `redacted_thinking` is accepted and dropped: its data is another server's encrypted reasoning.
/// Images and documents are a 400: the models served here read text only.
struct MessagesConversation {
    private(set) var messages: [ChatMessage] = []
    /// The names of the tools called so far, by call id, for the tool results that answer them.
    private var toolNames: [String: String] = [:]

    init(system: JSONValue?, messages wire: JSONValue?) throws(AnthropicError) {
        if let system {
            let text = try Self.text(of: system, path: "system", allowed: ["text"])
            if !text.isEmpty { messages.append(ChatMessage(role: .system, content: text)) }
        }
        guard let wire else { throw .invalidRequest("messages: Field required") }
        guard let list = wire.arrayValue else { throw .invalidRequest("messages: Input should be an array") }
        guard !list.isEmpty else { throw .invalidRequest("messages: at least one message is required") }
        for (index, value) in list.enumerated() {
            let message = try WireObject(value, path: "messages[\(index)]")
            switch try message.requiredString("role") {
            case "user": try appendUser(message)
            case "assistant": try appendAssistant(message)
            case let role:
                throw .invalidRequest(
                    "\(message.path("role")): '\(role)' is not one of 'user', 'assistant' (the system prompt goes "
                        + "in the top-level 'system' field)")
            }
        }
    }

    private mutating func appendUser(_ message: WireObject) throws(AnthropicError) {
        var texts: [String] = []
        for (block, path) in try Self.blocks(of: message) {
            switch try block.requiredString("type") {
            case "text": texts.append(try block.requiredString("text"))
            case "tool_result":
                let id = try block.requiredString("tool_use_id")
                var content = ""
                if let value = block["content"] {
                    content = try Self.text(of: value, path: block.path("content"), allowed: ["text"])
                }
                if try block.bool("is_error") == true { content = "Error: \(content)" }
                messages.append(ChatMessage(role: .tool, content: content, toolCallID: id, toolName: toolNames[id]))
            case let type: throw Self.unsupported(type, at: path, role: "user")
            }
        }
        if !texts.isEmpty || message["content"]?.stringValue != nil {
            messages.append(ChatMessage(role: .user, content: texts.joined(separator: "\n\n")))
        }
    }

    private mutating func appendAssistant(_ message: WireObject) throws(AnthropicError) {
        var texts: [String] = []
        var reasoning: [String] = []
        var calls: [ToolCall] = []
        for (block, path) in try Self.blocks(of: message) {
            switch try block.requiredString("type") {
            case "text": texts.append(try block.requiredString("text"))
            case "thinking": reasoning.append(try block.requiredString("thinking"))
            case "redacted_thinking": continue
            case "tool_use":
                let id = try block.requiredString("id")
                let name = try block.requiredString("name")
                let input = try block.object("input")?.value ?? [:]
                calls.append(ToolCall(id: id, name: name, arguments: input.serialized()))
                toolNames[id] = name
            case let type: throw Self.unsupported(type, at: path, role: "assistant")
            }
        }
        messages.append(
            ChatMessage(
                role: .assistant, content: texts.joined(), reasoning: reasoning.isEmpty ? nil : reasoning.joined(),
                toolCalls: calls))
    }

    /// The content blocks of a message; a string content is one text block.
    private static func blocks(of message: WireObject) throws(AnthropicError) -> [(WireObject, String)] {
        guard let content = message["content"] else {
            throw .invalidRequest("\(message.path("content")): Field required")
        }
        if let text = content.stringValue {
            return [(try WireObject(["type": "text", "text": .string(text)], path: ""), "")]
        }
        guard let blocks = content.arrayValue else {
            throw .invalidRequest("\(message.path("content")): Input should be a string or an array of content blocks")
        }
        return try blocks.enumerated().map { index, block throws(AnthropicError) in
            let path = "\(message.path("content"))[\(index)]"
            return (try WireObject(block, path: path), path)
        }
    }

    /// The text of a string or of an array of text blocks, the blocks joined by a blank line.
    private static func text(of value: JSONValue, path: String, allowed: Set<String>) throws(AnthropicError)
        -> String
    {
        if let text = value.stringValue { return text }
        guard let blocks = value.arrayValue else {
            throw .invalidRequest("\(path): Input should be a string or an array of text blocks")
        }
        var texts: [String] = []
        for (index, value) in blocks.enumerated() {
            let block = try WireObject(value, path: "\(path)[\(index)]")
            let type = try block.requiredString("type")
            guard allowed.contains(type) else { throw unsupported(type, at: block.path, role: nil) }
            texts.append(try block.requiredString("text"))
        }
        return texts.joined(separator: "\n\n")
    }

    private static func unsupported(_ type: String, at path: String, role: String?) -> AnthropicError {
        switch type {
        case "image", "document":
            return .invalidRequest(
                "\(path): '\(type)' content blocks are not supported: the models this server runs read text only")
        default:
            let place = role.map { " in a \($0) message" } ?? ""
            return .invalidRequest("\(path): content blocks of type '\(type)' are not supported\(place)")
        }
    }
}
