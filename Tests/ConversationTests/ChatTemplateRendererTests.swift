import Conversation
import EngineSupport
import Foundation
import InferenceTypes
import OrderedJSON
import Testing

@Suite("Chat templates turn a conversation into the prompt the model expects")
struct ChatTemplateRendererTests {
    static let templates = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("JinjaTests/Fixtures/templates")

    static func template(_ name: String) throws -> String {
        try String(contentsOf: templates.appendingPathComponent(name), encoding: .utf8)
    }

    @Test("SmolLM2's template renders a two-turn conversation as ChatML with its default system prompt")
    func smolLM2TwoTurns() throws {
        let renderer = try ChatTemplateRenderer(
            template: try Self.template("SmolLM2-135M-Instruct.jinja"), bosToken: "<|im_start|>",
            eosToken: "<|im_end|>")
        let prompt = try renderer.render(
            messages: [
                ChatMessage(role: .user, content: "Hi"), ChatMessage(role: .assistant, content: "Hello!"),
                ChatMessage(role: .user, content: "How are you?"),
            ], tools: [], addGenerationPrompt: true, variables: [:])
        #expect(
            prompt == """
                <|im_start|>system
                You are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>
                <|im_start|>user
                Hi<|im_end|>
                <|im_start|>assistant
                Hello!<|im_end|>
                <|im_start|>user
                How are you?<|im_end|>
                <|im_start|>assistant

                """)
    }

    @Test("an assistant tool call reaches Qwen2.5's template with its arguments as an object")
    func qwenToolCallArgumentsAreAnObject() throws {
        let renderer = try ChatTemplateRenderer(
            template: try Self.template("Qwen2.5-7B-Instruct.jinja"), bosToken: "", eosToken: "<|im_end|>")
        let tool: JSONValue = [
            "type": "function",
            "function": [
                "name": "get_weather", "parameters": ["type": "object", "properties": ["city": ["type": "string"]]],
            ],
        ]
        let prompt = try renderer.render(
            messages: [
                ChatMessage(role: .user, content: "Weather in Paris?"),
                ChatMessage(
                    role: .assistant, content: "",
                    toolCalls: [ToolCall(id: "call_1", name: "get_weather", arguments: #"{"city":"Paris","days":2}"#)]),
                ChatMessage(role: .tool, content: "sunny", toolCallID: "call_1", toolName: "get_weather"),
            ], tools: [tool], addGenerationPrompt: true, variables: [:])
        #expect(prompt.contains(#"{"name": "get_weather", "arguments": {"city": "Paris", "days": 2}}"#))
        #expect(prompt.contains("<tool_response>\nsunny\n</tool_response>"))
        #expect(prompt.hasSuffix("<|im_start|>assistant\n"))
    }

    @Test("a template that refuses the conversation answers an invalid request with its message")
    func raisedErrorIsInvalidRequest() throws {
        let renderer = try ChatTemplateRenderer(
            template: try Self.template("gemma-2-2b-it.jinja"), bosToken: "<bos>", eosToken: "<eos>")
        #expect(throws: InferenceError.invalidRequest("System role not supported")) {
            _ = try renderer.render(
                messages: [ChatMessage(role: .system, content: "Be brief."), ChatMessage(role: .user, content: "Hi")],
                tools: [], addGenerationPrompt: true, variables: [:])
        }
    }

    @Test("chat_template_kwargs reach the template: Qwen3 with thinking off gets an empty think block")
    func variablesReachTemplate() throws {
        let renderer = try ChatTemplateRenderer(
            template: try Self.template("Qwen3-0.6B.jinja"), bosToken: "", eosToken: "<|im_end|>")
        let prompt = try renderer.render(
            messages: [ChatMessage(role: .user, content: "Hi")], tools: [], addGenerationPrompt: true,
            variables: ["enable_thinking": false])
        #expect(prompt.hasSuffix("<|im_start|>assistant\n<think>\n\n</think>\n\n"))
    }

    @Test("a template the engine cannot run fails when the model loads")
    func unusableTemplateFailsAtLoad() {
        #expect(throws: InferenceError.self) {
            _ = try ChatTemplateRenderer(template: "{% include 'x' %}", bosToken: "", eosToken: "")
        }
    }
}
