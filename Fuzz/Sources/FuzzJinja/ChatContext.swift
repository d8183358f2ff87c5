import Jinja
import OrderedJSON

/// The variables a chat template sees, as `ChatTemplateRenderer` passes them: a short conversation with a
/// tool call, one tool, `add_generation_prompt`, `bos_token` and `eos_token`.
enum ChatContext {
    /// The default context, with the members of `json` (when it is a JSON object) put over it.
    static func make(json: [UInt8]) -> [String: JinjaValue] {
        var context = base
        if let members = (try? JSONValue(parsing: json))?.objectMembers {
            for member in members { context[member.key] = JinjaValue(member.value) }
        }
        return context
    }

    /// The default context.
    static let base: [String: JinjaValue] = [
        "messages": JinjaValue(messages),
        "tools": JinjaValue(tools),
        "add_generation_prompt": true,
        "bos_token": "<s>",
        "eos_token": "</s>",
        "enable_thinking": false,
    ]

    private static let messages: JSONValue = [
        ["role": "system", "content": "You are a helpful assistant."],
        ["role": "user", "content": "What is the weather in Paris?"],
        [
            "role": "assistant", "content": "", "reasoning_content": "The user wants the weather.",
            "tool_calls": [
                [
                    "id": "call_1", "type": "function",
                    "function": ["name": "get_weather", "arguments": ["city": "Paris"]],
                ]
            ],
        ],
        ["role": "tool", "content": "{\"temperature\": 21}", "tool_call_id": "call_1", "name": "get_weather"],
        ["role": "assistant", "content": "It is 21 °C in Paris."],
        ["role": "user", "content": "Thanks! And tomorrow?"],
    ]

    private static let tools: JSONValue = [
        [
            "type": "function",
            "function": [
                "name": "get_weather",
                "description": "The current weather in a city.",
                "parameters": [
                    "type": "object",
                    "properties": ["city": ["type": "string", "description": "The city."]],
                    "required": ["city"],
                ],
            ],
        ]
    ]
}
