import InferenceTypes
import OrderedJSON

/// `tools` and `tool_choice` of a Messages request, in the core's (OpenAI's) shape.
enum MessagesTools {
    /// Anthropic's server tools, run by Anthropic's servers: named in a 400, as no model here can run them.
    static let serverToolPrefixes = [
        "web_search", "web_fetch", "bash", "text_editor", "computer", "code_execution", "memory", "tool_search",
        "mcp",
    ]

    /// The client tools, `{name, description, input_schema}`, each as `{"type":"function","function":{...}}`.
    static func tools(_ values: [JSONValue]?) throws(AnthropicError) -> [JSONValue] {
        guard let values else { return [] }
        var names: Set<String> = []
        return try values.enumerated().map { index, value throws(AnthropicError) in
            let tool = try WireObject(value, path: "tools[\(index)]")
            let type = try tool.string("type") ?? "custom"
            guard type == "custom" else {
                let known = serverToolPrefixes.contains { type.hasPrefix($0) }
                throw .invalidRequest(
                    "\(tool.path("type")): '\(type)' is \(known ? "one of Anthropic's server tools" : "not a tool type"), "
                        + "which this server cannot run; send client tools ({\"name\", \"description\", "
                        + "\"input_schema\"}) and run them yourself")
            }
            let name = try tool.requiredString("name")
            guard !name.isEmpty else { throw .invalidRequest("\(tool.path("name")): must not be empty") }
            guard names.insert(name).inserted else {
                throw .invalidRequest("\(tool.path("name")): tool names must be unique ('\(name)' repeats)")
            }
            guard let schema = try tool.object("input_schema") else {
                throw .invalidRequest("\(tool.path("input_schema")): Field required")
            }
            var function: [JSONMember] = [JSONMember("name", .string(name))]
            if let description = try tool.string("description") {
                function.append(JSONMember("description", .string(description)))
            }
            function.append(JSONMember("parameters", schema.value))
            return ["type": "function", "function": .object(function)]
        }
    }

    /// `{"type":"auto"|"any"|"tool"|"none", "name", "disable_parallel_tool_use"}`; `auto` when absent.
    static func choice(_ value: WireObject?, tools: [JSONValue]) throws(AnthropicError)
        -> (choice: ToolChoice, parallel: Bool)
    {
        guard let value else { return (tools.isEmpty ? .none : .auto, true) }
        let parallel = !(try value.bool("disable_parallel_tool_use") ?? false)
        let choice: ToolChoice
        switch try value.requiredString("type") {
        case "auto": choice = tools.isEmpty ? .none : .auto
        case "none": choice = .none
        case "any": choice = .required
        case "tool":
            let name = try value.requiredString("name")
            guard tools.contains(where: { $0["function"]?["name"]?.stringValue == name }) else {
                throw .invalidRequest("\(value.path("name")): '\(name)' is not one of the request's tools")
            }
            choice = .function(name)
        case let other:
            throw .invalidRequest("\(value.path("type")): '\(other)' is not one of 'auto', 'any', 'tool', 'none'")
        }
        if choice.forcesACall && tools.isEmpty {
            throw .invalidRequest(
                "tool_choice: '\(value["type"]?.stringValue ?? "")' needs at least one tool in 'tools'")
        }
        return (choice, parallel)
    }
}
