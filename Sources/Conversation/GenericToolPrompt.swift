public import InferenceTypes
public import OrderedJSON

/// How the core offers tools to a model whose chat template does not read `tools` (llama-server's kind of
/// generic tool prompt): the tools and the answer format go into the system turn, earlier calls and their
/// results are written into the conversation as text, and the answer is read with the `generic` syntax.
///
/// The answer format is one JSON object and nothing else, `{"tool_call": {"name": …, "arguments": {…}}}`, or,
/// when parallel calls are allowed, `{"tool_calls": [{"name": …, "arguments": {…}}, …]}`; any other answer is
/// ordinary text (the instructions ask that it not begin with `{`).
public enum GenericToolPrompt {
    /// The conversation as the model is shown it: the tool instructions appended to the first system message
    /// (or a system message of their own before the conversation), each assistant message's calls written as
    /// the JSON it would answer with, and, when the template has no tool role, tool results as user
    /// messages ("Result of get_weather (call_1): …"), consecutive ones joined into one. Without
    /// `systemRole` (a template that refuses system messages, such as Gemma's), a conversation without a
    /// system message gets the instructions at the start of its first user message instead.
    public static func messages(
        _ messages: [ChatMessage], tools: [JSONValue], toolChoice: ToolChoice, parallelToolCalls: Bool,
        templateHasToolRole: Bool, systemRole: Bool = true
    ) -> [ChatMessage] {
        var shown: [ChatMessage] = []
        let instructions = instructions(tools: tools, toolChoice: toolChoice, parallelToolCalls: parallelToolCalls)
        var rest = messages[...]
        if !tools.isEmpty {
            if let first = messages.first, first.role == .system {
                var system = first
                system.content = first.content.isEmpty ? instructions : first.content + "\n\n" + instructions
                shown.append(system)
                rest = messages.dropFirst()
            } else if !systemRole, let first = messages.first, first.role == .user {
                var user = first
                user.content = instructions + "\n\n" + first.content
                shown.append(user)
                rest = messages.dropFirst()
            } else {
                shown.append(ChatMessage(role: .system, content: instructions))
            }
        }
        var callNames: [String: String] = [:]
        var lastWasResult = false
        for message in rest {
            defer { lastWasResult = message.role == .tool && !templateHasToolRole }
            switch message.role {
            case .assistant where !message.toolCalls.isEmpty:
                for call in message.toolCalls { callNames[call.id] = call.name }
                var written = message
                let call = callJSON(message.toolCalls)
                written.content = message.content.isEmpty ? call : message.content + "\n" + call
                written.toolCalls = []
                shown.append(written)
            case .tool where !templateHasToolRole:
                var named = message
                if named.toolName?.isEmpty ?? true { named.toolName = message.toolCallID.flatMap { callNames[$0] } }
                let result = resultText(named)
                if lastWasResult, let last = shown.last {
                    shown[shown.count - 1].content = last.content + "\n\n" + result
                } else {
                    shown.append(ChatMessage(role: .user, content: result))
                }
            default:
                shown.append(message)
            }
        }
        return shown
    }

    /// The text the system turn gets: the tools, one JSON object a line, and how to call them.
    public static func instructions(tools: [JSONValue], toolChoice: ToolChoice, parallelToolCalls: Bool) -> String {
        let listed = tools.map { tool -> String in
            let function = tool["function"] ?? tool
            var members = [JSONMember("name", function["name"] ?? "")]
            if let description = function["description"] { members.append(JSONMember("description", description)) }
            members.append(JSONMember("parameters", function["parameters"] ?? ["type": "object", "properties": [:]]))
            return JSONValue.object(members).serialized(.compact)
        }
        var lines = [
            "You have access to the following tools:", listed.joined(separator: "\n"), "",
            "To call a tool, answer with only this JSON object and nothing else:",
            #"{"tool_call": {"name": "<tool name>", "arguments": {<arguments matching the tool's parameters>}}}"#,
        ]
        if parallelToolCalls {
            lines.append(
                #"To call several tools at once, answer with only {"tool_calls": [{"name": …, "arguments": {…}}, …]}."#)
        }
        switch toolChoice {
        case .auto, .none:
            lines.append(
                "If no tool is needed, answer the user normally in plain text, without JSON and without "
                    + "starting with \"{\".")
        case .required:
            lines.append("You must call a tool now.")
        case .function(let name):
            lines.append("You must call the tool \"\(name)\" now.")
        }
        lines.append("A tool's result comes back in the next message; then answer the user with it.")
        return lines.joined(separator: "\n")
    }

    /// The answer that makes `calls`: `{"tool_call": …}` for one, `{"tool_calls": […]}` for several.
    public static func callJSON(_ calls: [ToolCall]) -> String {
        let objects: [JSONValue] = calls.map { call in
            let arguments = (try? JSONValue(parsing: call.arguments)) ?? .string(call.arguments)
            return ["name": .string(call.name), "arguments": arguments]
        }
        let answer: JSONValue = objects.count == 1 ? ["tool_call": objects[0]] : ["tool_calls": .array(objects)]
        return answer.serialized(.compact)
    }

    /// "Result of get_weather (call_1): …", naming what the client sent of the call.
    static func resultText(_ message: ChatMessage) -> String {
        let name = message.toolName.flatMap { $0.isEmpty ? nil : $0 } ?? "the tool"
        let id = message.toolCallID.flatMap { $0.isEmpty ? nil : " (\($0))" } ?? ""
        return "Result of \(name)\(id): \(message.content)"
    }
}
