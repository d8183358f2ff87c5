import InferenceCore
import InferenceTypes
import OrderedJSON

/// Reads `tools` and the messages' `tool_calls` of an `/api/chat` request.
enum OllamaTools {
    /// The tools, in OpenAI's shape (`{"type": "function", "function": {"name", ...}}`); absent is none.
    static func tools(_ value: JSONValue?) throws(OllamaError) -> [JSONValue] {
        guard let value, value != .null else { return [] }
        guard let tools = value.arrayValue else { throw .badRequest("tools must be an array") }
        for tool in tools {
            guard let name = tool["function"]?["name"]?.stringValue, !name.isEmpty else {
                throw .badRequest("each tool must be {\"type\": \"function\", \"function\": {\"name\": ...}}")
            }
        }
        return tools
    }

    /// The calls of one message: `[{"function": {"name", "arguments": {...}}}]`, arguments kept in order.
    static func calls(_ value: JSONValue?, messageIndex: Int) throws(OllamaError) -> [ToolCall] {
        guard let value, value != .null else { return [] }
        guard let calls = value.arrayValue else {
            throw .badRequest("messages[\(messageIndex)].tool_calls must be an array")
        }
        return try calls.enumerated().map { index, call throws(OllamaError) in
            guard let name = call["function"]?["name"]?.stringValue else {
                throw .badRequest("messages[\(messageIndex)].tool_calls[\(index)].function.name is required")
            }
            let arguments: String
            switch call["function"]?["arguments"] {
            case .string(let text)?: arguments = text
            case let object?: arguments = object.serialized()
            case nil: arguments = "{}"
            }
            return ToolCall(
                id: call["id"]?.stringValue ?? "call_\(messageIndex)_\(index)", name: name, arguments: arguments)
        }
    }
}
