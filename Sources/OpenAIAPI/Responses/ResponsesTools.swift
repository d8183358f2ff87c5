import InferenceCore
import InferenceTypes
import OrderedJSON

/// Reads the Responses `tools` (flat: `{"type": "function", "name", "description", "parameters", "strict"}`)
/// into the core's chat shape, and `tool_choice`. Hosted tools (`web_search`, `file_search`, ...) are a 400
/// naming them: this server runs no tools of its own.
enum ResponsesTools {
    /// The tools as the core takes them: `{"type": "function", "function": {"name", "description",
    /// "parameters"}}`, keys in the client's order. Absent or `null` is none.
    static func tools(_ value: JSONValue?) throws(OpenAIError) -> [JSONValue] {
        guard let value, value != .null else { return [] }
        guard let tools = value.arrayValue else { throw .invalidRequest("tools must be an array", param: "tools") }
        return try tools.enumerated().map { index, tool throws(OpenAIError) -> JSONValue in
            let place = "tools[\(index)]"
            guard case .object = tool else { throw .invalidRequest("\(place) must be an object", param: place) }
            let type = tool["type"]?.stringValue ?? "function"
            guard type == "function" else {
                throw .invalidRequest(
                    "\(place) has type '\(type)', a hosted tool this server does not provide; "
                        + "only 'function' tools are supported",
                    param: "\(place).type")
            }
            // Chat's nested shape is taken too: clients that share tool lists between the two APIs send it.
            let function = tool["function"]?.objectMembers.map(JSONValue.object) ?? tool
            guard let name = function["name"]?.stringValue, !name.isEmpty else {
                throw .invalidRequest("\(place).name must be a non-empty string", param: "\(place).name")
            }
            let kept = (function.objectMembers ?? []).filter {
                ["name", "description", "parameters"].contains($0.key) && $0.value != .null
            }
            return ["type": "function", "function": .object(kept)]
        }
    }

    /// `none`, `auto`, `required` or `{"type": "function", "name"}`; the default is `auto` with tools and
    /// `none` without.
    static func choice(_ value: JSONValue?, hasTools: Bool) throws(OpenAIError) -> ToolChoice {
        switch value {
        case nil, .null?:
            return hasTools ? .auto : .none
        case .string("none")?: return .none
        case .string("auto")?: return .auto
        case .string("required")?: return .required
        case .object?:
            let type = value?["type"]?.stringValue
            if type == "function" || type == nil,
                let name = value?["name"]?.stringValue ?? value?["function"]?["name"]?.stringValue, !name.isEmpty
            {
                return .function(name)
            }
            if let type, type != "function" {
                throw .invalidRequest(
                    "tool_choice of type '\(type)' is not supported; this server runs only 'function' tools",
                    param: "tool_choice")
            }
        default:
            break
        }
        throw .invalidRequest(
            "tool_choice must be \"none\", \"auto\", \"required\" or {\"type\": \"function\", \"name\": ...}",
            param: "tool_choice")
    }
}
