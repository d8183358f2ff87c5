import InferenceCore
import InferenceTypes
import OrderedJSON

/// Reads `tools` and `tool_choice` of a chat request.
enum OpenAITools {
    /// The tools, each `{"type": "function", "function": {"name", ...}}`; absent or `null` is none.
    static func tools(_ value: JSONValue?) throws(OpenAIError) -> [JSONValue] {
        guard let value, value != .null else { return [] }
        guard let tools = value.arrayValue else { throw .invalidRequest("tools must be an array", param: "tools") }
        for (index, tool) in tools.enumerated() {
            let type = tool["type"]?.stringValue ?? "function"
            guard type == "function", let name = tool["function"]?["name"]?.stringValue, !name.isEmpty else {
                throw .invalidRequest(
                    "tools[\(index)] must be {\"type\": \"function\", \"function\": {\"name\": ...}}",
                    param: "tools[\(index)]")
            }
        }
        return tools
    }

    /// `none`, `auto`, `required` or `{"type": "function", "function": {"name"}}`; the default is `auto`
    /// with tools and `none` without.
    static func choice(_ value: JSONValue?, hasTools: Bool) throws(OpenAIError) -> ToolChoice {
        switch value {
        case nil, .null?:
            return hasTools ? .auto : .none
        case .string("none")?: return .none
        case .string("auto")?: return .auto
        case .string("required")?: return .required
        case .object?:
            if let name = value?["function"]?["name"]?.stringValue, !name.isEmpty { return .function(name) }
        default:
            break
        }
        throw .invalidRequest(
            "tool_choice must be \"none\", \"auto\", \"required\" or {\"type\": \"function\", \"function\": {\"name\": ...}}",
            param: "tool_choice")
    }
}
