import Conversation
import Foundation
import InferenceTypes
import OrderedJSON
import Testing

/// Tools for a model whose chat template ignores them: the core's generic tool prompt, its history and its
/// grammar.
@Suite("The generic tool prompt, for templates without tools")
struct GenericToolPromptTests {
    static let weather = ConversationProfileTests.weather

    static func prompt(_ request: GenerationRequest, template: String = "SmolLM2-135M-Instruct.jinja")
        async throws -> (prompt: String, prepared: EngineRequest)
    {
        let profile = try ConversationProfileTests.profile(template, architecture: "llama")
        let prepared = try await profile.prepare(request).request
        return (try #require(ConversationProfileTests.prompt(prepared)), prepared)
    }

    @Test("a template that never reads tools gets the generic prompt; one that reads them does not")
    func detectsTemplatesWithoutTools() throws {
        #expect(try ConversationProfileTests.profile("SmolLM2-135M-Instruct.jinja").usesGenericToolPrompt)
        #expect(try ConversationProfileTests.profile("gemma-2-2b-it.jinja").usesGenericToolPrompt)
        #expect(try !ConversationProfileTests.profile("Qwen3-0.6B.jinja").usesGenericToolPrompt)
        // The word in the template's text is not a use of the variable.
        let mentions = "{% for m in messages %}{{ m.content }} (no tools here){% endfor %}"
        #expect(try ConversationProfileTests.profile(nil, source: mentions).usesGenericToolPrompt)
        let reads = "{% if tools %}{{ tools | tojson }}{% endif %}{% for m in messages %}{{ m.content }}{% endfor %}"
        #expect(try !ConversationProfileTests.profile(nil, source: reads).usesGenericToolPrompt)
    }

    @Test("the tools and how to call them go into the system turn, after the client's system prompt")
    func toolsGoIntoTheSystemTurn() async throws {
        var request = ConversationProfileTests.request(tools: [Self.weather])
        let (alone, _) = try await Self.prompt(request)
        #expect(
            alone.hasPrefix("<|im_start|>system\nYou have access to the following tools:\n{\"name\":\"get_weather\""))
        #expect(alone.contains(#"{"tool_call": {"name": "<tool name>""#))
        #expect(alone.contains("answer the user normally"))

        request.input = .chat([
            ChatMessage(role: .system, content: "You are terse."), ChatMessage(role: .user, content: "Oslo?"),
        ])
        request.toolChoice = .function("get_weather")
        request.parallelToolCalls = false
        let (withSystem, _) = try await Self.prompt(request)
        #expect(withSystem.hasPrefix("<|im_start|>system\nYou are terse.\n\nYou have access to the following tools:"))
        #expect(withSystem.contains(#"You must call the tool "get_weather" now."#))
        #expect(!withSystem.contains("tool_calls"))
        #expect(withSystem.components(separatedBy: "<|im_start|>system").count == 2)
    }

    @Test("earlier calls are written as the JSON the model answers with, and results as user messages")
    func historyIsWrittenAsText() async throws {
        var request = ConversationProfileTests.request(tools: [Self.weather])
        request.input = .chat([
            ChatMessage(role: .user, content: "Weather in Oslo and Bergen?"),
            ChatMessage(
                role: .assistant, content: "",
                toolCalls: [
                    ToolCall(id: "call_1", name: "get_weather", arguments: #"{"city":"Oslo"}"#),
                    ToolCall(id: "call_2", name: "get_weather", arguments: #"{"city":"Bergen"}"#),
                ]),
            ChatMessage(role: .tool, content: "12 C", toolCallID: "call_1"),
            ChatMessage(role: .tool, content: "9 C", toolCallID: "call_2"),
        ])
        let (prompt, _) = try await Self.prompt(request)
        #expect(
            prompt.contains(
                #"<|im_start|>assistant\#n{"tool_calls":[{"name":"get_weather","arguments":{"city":"Oslo"}},{"name":"get_weather","arguments":{"city":"Bergen"}}]}<|im_end|>"#
            ))
        #expect(
            prompt.contains(
                "<|im_start|>user\nResult of get_weather (call_1): 12 C\n\nResult of get_weather (call_2): 9 C<|im_end|>"
            ))
        #expect(!prompt.contains("<|im_start|>tool"))

        // Gemma's template refuses system messages and any role but user and model: the instructions go into
        // the first user turn, and the rewritten history suits it.
        let (gemma, _) = try await Self.prompt(request, template: "gemma-2-2b-it.jinja")
        #expect(gemma.contains("<start_of_turn>user\nYou have access to the following tools:"))
        #expect(gemma.contains("Result of get_weather (call_1): 12 C"))
    }

    @Test("one call, several, and a bare call object are read; other JSON and prose stay text")
    func parsesTheGenericAnswer() {
        let names: Set<String> = ["get_weather"]
        func pieces(_ output: String) -> [ToolCallParser.Piece] {
            var parser = ToolCallParser(syntax: .generic, toolNames: names) { "call_test" }
            return parser.feed(output) + parser.finish()
        }
        let oslo = ToolCall(id: "call_test", name: "get_weather", arguments: #"{"city":"Oslo"}"#)
        let bergen = ToolCall(id: "call_test", name: "get_weather", arguments: #"{"city":"Bergen"}"#)
        #expect(pieces(#" {"tool_call": {"name": "get_weather", "arguments": {"city": "Oslo"}}}"#) == [.toolCall(oslo)])
        #expect(
            pieces(
                #"{"tool_calls": [{"name": "get_weather", "arguments": {"city": "Oslo"}}, "#
                    + #"{"name": "get_weather", "arguments": {"city": "Bergen"}}]}"#) == [
                    .toolCall(oslo), .toolCall(bergen),
                ])
        #expect(pieces(#"{"name": "get_weather", "arguments": {"city": "Oslo"}}"#) == [.toolCall(oslo)])
        #expect(pieces(#"{"tool_call": {"name": "rm_rf", "arguments": {}}}"#).allSatisfy { !$0.isCall })
        #expect(pieces(#"{"city": "Oslo"}"#) == [.text(#"{"city": "Oslo"}"#)])
        #expect(pieces("It is sunny in Oslo.") == [.text("It is sunny in Oslo.")])
    }

    @Test("on an engine that constrains output, auto gets a grammar of a call or plain text")
    func autoIsConstrained() async throws {
        let template = try ChatTemplateRendererTests.template("SmolLM2-135M-Instruct.jinja")
        let info = ModelInfo(
            architecture: "llama", trainedContextLength: 4096, contextLength: 4096, parameterCount: 0,
            weightsBytes: 0, chatTemplate: template, quantization: nil, bosToken: nil, eosToken: "<|im_end|>",
            canThink: false, constrainsOutput: true)
        let profile = try ConversationProfile(info: info, modelName: "test-model")
        let auto = try await profile.prepare(ConversationProfileTests.request(tools: [Self.weather])).request
        #expect(auto.grammar?.contains("plain-text") == true)
        let required = try await profile.prepare(
            ConversationProfileTests.request(tools: [Self.weather], choice: .required)
        ).request
        #expect(required.grammar?.contains("tool_call") == true)
        #expect(required.grammar?.contains("plain-text") == false)
        let none = try await profile.prepare(ConversationProfileTests.request(tools: [Self.weather], choice: .none))
            .request
        #expect(none.grammar == nil)
    }
}

extension ToolCallParser.Piece {
    fileprivate var isCall: Bool {
        if case .toolCall = self { return true }
        return false
    }
}
