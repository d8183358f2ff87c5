import InferenceCore
import InferenceTypes
import OrderedJSON

/// What every part of one answer says the same way: its id, its model, and how a summary reads in Anthropic's
/// terms (`stop_reason`, `stop_sequence`, `usage`).
struct MessagesReply: Sendable {
    /// `msg_…`.
    let id: String
    /// The model's name as this server lists it.
    let model: String
    /// The request's `stop_sequences`: a stop string the engine matched is reported only when it is one of them.
    let stops: [String]

    /// The `signature` of the thinking blocks this server writes. Anthropic's signs its reasoning so that it can
    /// check it when a client sends it back; this server takes reasoning back as it is, so its signature only
    /// says where the block came from.
    static let signature = "rockchip-llama"

    /// `stop_reason` and `stop_sequence`.
    func stop(_ summary: GenerationSummary) -> (reason: String, sequence: String?) {
        switch summary.finishReason {
        case .length: return ("max_tokens", nil)
        case .toolCalls: return ("tool_use", nil)
        case .stop, .cancelled:
            if let sequence = summary.stopSequence, stops.contains(sequence) { return ("stop_sequence", sequence) }
            return ("end_turn", nil)
        }
    }

    /// `usage`: Anthropic's `input_tokens` leaves out the tokens read from the cache, which are
    /// `cache_read_input_tokens`; `output_tokens_details.thinking_tokens` are the output's reasoning tokens.
    static func usage(_ usage: Usage) -> JSONValue {
        [
            "input_tokens": .int(max(0, usage.promptTokens - usage.cachedTokens)),
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": .int(usage.cachedTokens),
            "output_tokens": .int(usage.completionTokens),
            "output_tokens_details": ["thinking_tokens": .int(usage.reasoningTokens)],
        ]
    }

    /// The tool-use id of a core call id: `toolu_…`, as Anthropic's clients expect; ids the client made keep
    /// their form.
    static func toolUseID(_ id: String) -> String {
        if id.hasPrefix("toolu_") { return id }
        return "toolu_" + (id.hasPrefix("call_") ? String(id.dropFirst(5)) : id)
    }

    /// A tool call's input as an object (its arguments are the JSON text of one).
    static func input(_ call: ToolCall) -> JSONValue {
        guard let input = try? JSONValue(parsing: call.arguments), case .object = input else { return [:] }
        return input
    }

    /// The whole message of a collected answer: thinking, text, then the tool calls.
    func message(_ answer: CollectedGeneration) -> JSONValue {
        var content: [JSONValue] = []
        if !answer.reasoning.isEmpty {
            content.append(
                ["type": "thinking", "thinking": .string(answer.reasoning), "signature": .string(Self.signature)])
        }
        if !answer.text.isEmpty || answer.toolCalls.isEmpty {
            content.append(["type": "text", "text": .string(answer.text)])
        }
        for call in answer.toolCalls {
            content.append(
                [
                    "type": "tool_use", "id": .string(Self.toolUseID(call.id)), "name": .string(call.name),
                    "input": Self.input(call),
                ])
        }
        let ending = self.stop(answer.summary)
        return [
            "id": .string(id), "type": "message", "role": "assistant", "model": .string(model),
            "content": .array(content), "stop_reason": .string(ending.reason),
            "stop_sequence": ending.sequence.map(JSONValue.string) ?? .null, "usage": Self.usage(answer.summary.usage),
        ]
    }

    /// The message of `message_start`: no content yet. The prompt's token count is known only at the end of the
    /// generation, so it comes in `message_delta`, whose usage the clients take over.
    var opening: JSONValue {
        [
            "id": .string(id), "type": "message", "role": "assistant", "model": .string(model), "content": [],
            "stop_reason": .null, "stop_sequence": .null,
            "usage": [
                "input_tokens": 0, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
                "output_tokens": 0,
            ],
        ]
    }
}
