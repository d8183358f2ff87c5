import Conversation
import EngineSupport
import Foundation
import InferenceCore
import InferenceTypes
import OrderedJSON
import Testing

@Suite("What the core makes of a request for a loaded model")
struct ConversationProfileTests {
    static func profile(
        _ templateFile: String?, source: String? = nil, architecture: String = "qwen3", canThink: Bool = false
    ) throws -> ConversationProfile {
        let template = try source ?? templateFile.map { try ChatTemplateRendererTests.template($0) }
        let info = ModelInfo(
            architecture: architecture, trainedContextLength: 4096, contextLength: 4096, parameterCount: 0,
            weightsBytes: 0, chatTemplate: template, quantization: nil, bosToken: nil, eosToken: "<|im_end|>",
            canThink: canThink)
        return try ConversationProfile(info: info, modelName: "test-model")
    }

    static let weather: JSONValue = [
        "type": "function",
        "function": [
            "name": "get_weather", "parameters": ["type": "object", "properties": ["city": ["type": "string"]]],
        ],
    ]

    static func request(thinking: Bool? = nil, tools: [JSONValue] = [], choice: ToolChoice = .auto)
        -> GenerationRequest
    {
        var request = GenerationRequest(
            model: "test-model", input: .chat([ChatMessage(role: .user, content: "Weather in Oslo?")]),
            thinking: thinking)
        request.tools = tools
        request.toolChoice = choice
        return request
    }

    static func prompt(_ request: EngineRequest) -> String? {
        if case .rendered(let prompt) = request.input { return prompt }
        return nil
    }

    @Test("Qwen3's template is rendered with the tools, and thinking off closes the think block")
    func rendersQwen3WithToolsAndThinkingOff() async throws {
        let profile = try Self.profile("Qwen3-0.6B.jinja")
        #expect(profile.canThink)
        #expect(profile.toolCallSyntax == .hermes)
        let prepared = try await profile.prepare(Self.request(thinking: false, tools: [Self.weather])).request
        let prompt = try #require(Self.prompt(prepared))
        #expect(prompt.contains(#""name": "get_weather""#))
        #expect(prompt.hasSuffix("<|im_start|>assistant\n<think>\n\n</think>\n\n"))
    }

    @Test("tool_choice none hides the tools from the model")
    func toolChoiceNoneHidesTools() async throws {
        let profile = try Self.profile("Qwen3-0.6B.jinja")
        let prepared = try await profile.prepare(Self.request(tools: [Self.weather], choice: .none)).request
        #expect(Self.prompt(prepared)?.contains("get_weather") == false)
        #expect(prepared.tools.isEmpty)
    }

    @Test("thinking asked of a model that cannot think is an invalid request naming the model")
    func refusesThinking() async throws {
        let profile = try Self.profile("SmolLM2-135M-Instruct.jinja", architecture: "llama")
        #expect(!profile.canThink)
        await #expect(throws: InferenceError.invalidRequest("model test-model does not support thinking")) {
            try await profile.prepare(Self.request(thinking: true))
        }
    }

    @Test("a prompt that opens the reasoning makes the output reasoning from its first token")
    func startsInReasoning() async throws {
        let profile = try Self.profile(
            nil,
            source: """
                {% for m in messages %}<|{{ m.role }}|>{{ m.content }}{% endfor %}\
                {% if add_generation_prompt %}<|assistant|><think>\n{% endif %}
                """)
        let (prepared, output) = try await profile.prepare(Self.request())
        #expect(Self.prompt(prepared)?.hasSuffix("<think>\n") == true)
        let stream = OutputInterpreterTests.engineStream("Hmm, cold.</think>It is cold.", cuts: [4, 12], tokens: 3)
        let result = OutputInterpreterTests.collect(stream, through: output)
        #expect(result.reasoning == "Hmm, cold.")
        #expect(result.text == "It is cold.")
    }

    @Test("a DeepSeek-R1 distill's template, which strips </think> from history, marks a thinking model")
    func deepSeekThinks() throws {
        #expect(try Self.profile("DeepSeek-R1-Distill-Qwen.jinja").canThink)
    }

    @Test("a model whose engine renders conversations gets the conversation, and still has its output split")
    func engineRendered() async throws {
        let profile = try Self.profile(nil, canThink: true)
        let (prepared, output) = try await profile.prepare(Self.request(thinking: true))
        #expect(prepared.input == Self.request().input)
        let stream = OutputInterpreterTests.engineStream("<think>Cold.</think>It is cold.", cuts: [5, 9], tokens: 3)
        let result = OutputInterpreterTests.collect(stream, through: output)
        #expect(result.reasoning == "Cold.")
        #expect(result.text == "It is cold.")
    }

    @Test("a template that does not parse fails the load with the model's name")
    func badTemplateFailsTheLoad() throws {
        let info = ModelInfo(
            architecture: "llama", trainedContextLength: 1, contextLength: 1, parameterCount: 0, weightsBytes: 0,
            chatTemplate: "{% for m in messages %}", quantization: nil)
        #expect {
            try ConversationProfile(info: info, modelName: "broken")
        } throws: { error in
            guard case .modelLoadFailed(let model, _) = error as? InferenceError else { return false }
            return model == "broken"
        }
    }
}
