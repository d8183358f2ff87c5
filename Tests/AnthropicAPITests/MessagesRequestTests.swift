import Hummingbird
import InferenceTypes
import OrderedJSON
import Testing

@testable import AnthropicAPI

/// How a Messages body becomes the core's request, and how a bad one is refused.
@Suite struct MessagesRequestTests {
    private func request(_ json: String, counting: Bool = false) throws -> MessagesRequest {
        try MessagesRequest(try JSONValue(parsing: json), counting: counting)
    }

    private func refusal(_ json: String, counting: Bool = false) -> AnthropicError? {
        do {
            _ = try request(json, counting: counting)
            return nil
        } catch let error as AnthropicError {
            return error
        } catch {
            return nil
        }
    }

    @Test func aConversationWithSystemBlocksToolUseAndToolResultsBecomesTheCoresMessages() throws {
        let body = try request(
            #"""
            {"model":"m","max_tokens":100,"system":[{"type":"text","text":"Be brief."},{"type":"text","text":"Use tools.","cache_control":{"type":"ephemeral"}}],
             "messages":[
              {"role":"user","content":"Weather in Paris?"},
              {"role":"assistant","content":[{"type":"thinking","thinking":"I should call it.","signature":"x"},
                {"type":"text","text":"Checking."},
                {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris","unit":"c"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"21C"}]},
                {"type":"text","text":"And tomorrow?"}]}
             ]}
            """#)
        guard case .chat(let messages) = body.generation.input else {
            Issue.record("not a chat")
            return
        }
        #expect(messages.map(\.role) == [.system, .user, .assistant, .tool, .user])
        #expect(messages[0].content == "Be brief.\n\nUse tools.")
        #expect(messages[2].content == "Checking.")
        #expect(messages[2].reasoning == "I should call it.")
        #expect(
            messages[2].toolCalls == [
                ToolCall(id: "toolu_1", name: "get_weather", arguments: #"{"city":"Paris","unit":"c"}"#)
            ])
        #expect(messages[3].content == "21C")
        #expect(messages[3].toolCallID == "toolu_1")
        #expect(messages[3].toolName == "get_weather")
        #expect(messages[4].content == "And tomorrow?")
        #expect(body.generation.maxTokens == 100)
        #expect(!body.isStreaming)
    }

    @Test func toolsBecomeFunctionsInTheClientsKeyOrderAndToolChoiceMaps() throws {
        let body = try request(
            #"""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],
             "tools":[{"name":"get_weather","description":"Weather","input_schema":{"type":"object","properties":{"z":{"type":"string"},"a":{"type":"string"}}}}],
             "tool_choice":{"type":"tool","name":"get_weather","disable_parallel_tool_use":true}}
            """#)
        #expect(
            body.generation.tools.first?.serialized()
                == #"{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"z":{"type":"string"},"a":{"type":"string"}}}}}"#
        )
        #expect(body.generation.toolChoice == .function("get_weather"))
        #expect(!body.generation.parallelToolCalls)
        let any = try request(
            #"{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"t","input_schema":{"type":"object"}}],"tool_choice":{"type":"any"}}"#
        )
        #expect(any.generation.toolChoice == .required)
    }

    @Test func thinkingSamplingStopsAndOurExtensionsMap() throws {
        let body = try request(
            #"""
            {"model":"m","max_tokens":2000,"messages":[{"role":"user","content":"hi"}],"thinking":{"type":"enabled","budget_tokens":1024},
             "temperature":0.5,"top_p":0.9,"top_k":40,"stop_sequences":["END"],"stream":true,"num_ctx":8192,"use_cache":"sys",
             "metadata":{"user_id":"u"},"lora":"pirate"}
            """#)
        #expect(body.generation.thinking == true)
        #expect(body.generation.reasoningBudget == 1024)
        #expect(body.generation.sampling == SamplingOptions(temperature: 0.5, topK: 40, topP: 0.9))
        #expect(body.generation.stop == ["END"])
        #expect(body.isStreaming)
        #expect(body.generation.contextLength == 8192)
        #expect(body.generation.useCache == "sys")
        #expect(body.generation.lora == "pirate")
        let off = try request(
            #"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"thinking":{"type":"disabled"}}"#)
        #expect(off.generation.thinking == false)
        #expect(off.generation.reasoningBudget == nil)
    }

    @Test func countTokensNeedsNoMaxTokens() throws {
        let body = try request(#"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#, counting: true)
        #expect(body.generation.maxTokens == nil)
    }

    @Test(arguments: [
        (#"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#, "max_tokens: Field required"),
        (#"{"max_tokens":5,"messages":[{"role":"user","content":"hi"}]}"#, "model: Field required"),
        (
            #"{"model":"m","max_tokens":0,"messages":[{"role":"user","content":"hi"}]}"#,
            "max_tokens: must be at least 1"
        ),
        (
            #"{"model":"m","max_tokens":"5","messages":[{"role":"user","content":"hi"}]}"#,
            "max_tokens: Input should be an integer"
        ),
        (#"{"model":"m","max_tokens":5,"messages":[]}"#, "messages: at least one message"),
        (#"{"model":"m","max_tokens":5,"messages":[{"role":"system","content":"hi"}]}"#, "messages[0].role: 'system'"),
        (
            #"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"text","media_type":"text/plain","data":"x"}}]}]}"#,
            "messages[0].content[0]: 'document' content blocks are not supported"
        ),
        (
            #"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"web_search_20250305","name":"web_search"}]}"#,
            "tools[0].type: 'web_search_20250305' is one of Anthropic's server tools"
        ),
        (
            #"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"bash_20250124","name":"bash"}]}"#,
            "tools[0].type: 'bash_20250124' is one of Anthropic's server tools"
        ),
        (
            #"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"t"}]}"#,
            "tools[0].input_schema: Field required"
        ),
        (
            #"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"tool_choice":{"type":"any"}}"#,
            "needs at least one tool"
        ),
        (
            #"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"t","input_schema":{}}],"tool_choice":{"type":"tool","name":"u"}}"#,
            "tool_choice.name: 'u' is not one of the request's tools"
        ),
        (
            #"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"thinking":{"type":"enabled"}}"#,
            "thinking.enabled.budget_tokens: Field required"
        ),
        (
            #"{"model":"m","max_tokens":100,"messages":[{"role":"user","content":"hi"}],"thinking":{"type":"enabled","budget_tokens":100}}"#,
            "max_tokens must be greater than thinking.budget_tokens"
        ),
        (
            #"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"temperature":1.5}"#,
            "temperature: must be between 0 and 1"
        ),
        (
            #"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"stop_sequences":[1]}"#,
            "stop_sequences[0]: Input should be a string"
        ),
        (#"[1,2]"#, "the request body: expected an object"),
    ])
    func aBadBodyIsA400NamingTheField(json: String, message: String) {
        let error = refusal(json)
        #expect(error?.status.code == 400)
        #expect(error?.type == "invalid_request_error")
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "accepted")")
    }

    @Test func bodiesThatAreNotJSONAreRefusedWithTheReason() {
        for bytes in [Array("{\"model\":".utf8), [0xFF, 0xFE], []] {
            #expect(throws: AnthropicError.self) { try AnthropicBody.parse(bytes) }
        }
    }
}
