import FoundationEssentials
import InferenceCore
import InferenceTypes
import OrderedJSON
import SchemaGrammar
import Testing

@testable import OpenAIAPI

@Suite struct ToolRequestTests {
    private func generation(_ json: String) throws -> GenerationRequest {
        try JSONRequestDecoding.decode(ChatCompletionRequest.self, from: Data(json.utf8)).generationRequest()
    }

    private let weatherTool =
        #"{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"zcity":{"type":"string"},"aunit":{"type":"string"}}}}}"#

    @Test func toolsKeepTheClientsKeyOrderAndChoiceDefaultsToAuto() throws {
        let request = try generation(
            #"{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[\#(weatherTool)],"parallel_tool_calls":false}"#
        )
        #expect(request.tools.count == 1)
        #expect(request.tools[0].serialized() == weatherTool)
        #expect(request.toolChoice == .auto)
        #expect(request.parallelToolCalls == false)
    }

    @Test(arguments: [
        (#""none""#, ToolChoice.none), (#""required""#, .required), (#""auto""#, .auto),
        (#"{"type":"function","function":{"name":"get_weather"}}"#, .function("get_weather")),
    ])
    func toolChoiceShapes(choice: String, expected: ToolChoice) throws {
        let request = try generation(
            #"{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[\#(weatherTool)],"tool_choice":\#(choice)}"#
        )
        #expect(request.toolChoice == expected)
    }

    @Test func historyCarriesToolCallsResultsAndReasoning() throws {
        let request = try generation(
            #"""
            {"model":"m","messages":[{"role":"user","content":"weather?"},
              {"role":"assistant","content":null,"reasoning_content":"I should call it.",
               "tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"zcity\":\"Oslo\",\"aunit\":\"C\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"11 degrees"}]}
            """#)
        guard case .chat(let messages) = request.input else {
            Issue.record("not a chat")
            return
        }
        #expect(messages[1].reasoning == "I should call it.")
        #expect(
            messages[1].toolCalls == [
                ToolCall(id: "call_1", name: "get_weather", arguments: #"{"zcity":"Oslo","aunit":"C"}"#)
            ])
        #expect(messages[2].role == .tool)
        #expect(messages[2].toolCallID == "call_1")
    }

    @Test(arguments: [
        #"{"type":"json_object"}"#, #"{"type":"json_object","schema":{}}"#,
        #"{"type":"json_schema","json_schema":{"name":"x","schema":{}}}"#,
        #"{"type":"json_schema","json_schema":{"name":"x","schema":null}}"#,
    ])
    func anyObjectFormatsGetTheAnyObjectGrammar(format: String) throws {
        let request = try generation(
            #"{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":\#(format)}"#)
        #expect(request.responseFormat == .jsonObject)
        #expect(try OutputConstraint.grammar(for: request.responseFormat) == JSONSchemaGrammar.anyJSONObject)
    }

    @Test(arguments: [
        #"{"type":"json_object","schema":{"type":"object"}}"#,
        #"{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object"},"strict":true}}"#,
        #"{"type":"json_schema","schema":{"type":"object"}}"#,
    ])
    func everySchemaShapeReachesTheConverter(format: String) throws {
        // The three shapes clients send all reach the schema converter (which refuses until it merges).
        let schema = try OpenAIResponseFormat.schema(JSONValue(parsing: format))
        #expect(schema == ["type": "object"])
    }

    @Test func textFormatAndThinkingControls() throws {
        let request = try generation(
            #"{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"text"},"reasoning_effort":"none","chat_template_kwargs":{"custom":1}}"#
        )
        #expect(request.responseFormat == .text)
        #expect(request.thinking == false)
        #expect(request.templateVariables["custom"] == .int(1))
        let kwargs = try generation(
            #"{"model":"m","messages":[{"role":"user","content":"x"}],"chat_template_kwargs":{"enable_thinking":true}}"#
        )
        #expect(kwargs.thinking == true)
        #expect(kwargs.templateVariables["enable_thinking"] == .bool(true))
    }

    @Test func logprobsAskForTheTopAlternatives() throws {
        let request = try generation(
            #"{"model":"m","messages":[{"role":"user","content":"x"}],"logprobs":true,"top_logprobs":3}"#)
        #expect(request.logprobs == 3)
        let plain = try generation(#"{"model":"m","messages":[{"role":"user","content":"x"}],"logprobs":true}"#)
        #expect(plain.logprobs == 0)
    }
}
