import EngineSupport
import InferenceTypes
import OrderedJSON

extension RKLLMChatFormat {
    /// A conversation that ends with tool results, for a run with the runtime's `tool` role: the runtime
    /// wraps the input in `<tool_response>` tags, so the earlier turns go into the prompt prefix and the
    /// input is the results alone (several joined so that each gets its own tags). `nil` when the last
    /// message is not a tool result.
    func renderToolResults(_ messages: [ChatMessage], thinking: Bool) -> Rendered? {
        let results = messages.reversed().prefix { $0.role == .tool }.reversed().map(\.content)
        guard !results.isEmpty else { return nil }
        var rendered = render(Array(messages.dropLast(results.count)), thinking: thinking)
        rendered.promptPrefix += rendered.input
        let tag = RKLLMHandle.toolResponseTag
        rendered.input = results.joined(separator: "\n</\(tag)>\n<\(tag)>\n")
        return rendered
    }

    /// An assistant turn's tool calls as Qwen's templates write them back: one
    /// `<tool_call>{"name": …, "arguments": …}</tool_call>` block per call.
    static func toolCallText(_ calls: [ToolCall]) -> String {
        calls.map { call in
            let arguments = call.arguments.isEmpty ? "{}" : call.arguments
            return
                "\n<tool_call>\n{\"name\": \(JSONValue.quoted(call.name)), \"arguments\": \(arguments)}\n</tool_call>"
        }.joined()
    }
}
