import FoundationEssentials
import Hummingbird
import InferenceCore
import InferenceTypes
import OrderedJSON
import Testing

@testable import OpenAIAPI

/// How a Responses body becomes the core's request: its input items, tools, formats and reasoning, and a 400
/// naming the place of everything malformed.
@Suite struct ResponsesRequestTests {
    private func plan(_ json: String, previous: [ChatMessage] = []) throws -> ResponsesPlan {
        try JSONRequestDecoding.decode(ResponsesRequest.self, from: Data(json.utf8)).plan(previous: previous)
    }

    private func messages(_ json: String) throws -> [ChatMessage] {
        guard case .chat(let messages) = try plan(json).request.input else { return [] }
        return messages
    }

    @Test func aStringInputIsOneUserTurnAfterTheInstructions() throws {
        let plan = try plan(
            #"{"model":"m","instructions":"Be brief.","input":"Hi","max_output_tokens":12,"temperature":0.5,"top_p":0.9}"#
        )
        #expect(
            plan.request.input
                == .chat([ChatMessage(role: .system, content: "Be brief."), ChatMessage(role: .user, content: "Hi")]))
        #expect(plan.request.maxTokens == 12)
        #expect(plan.request.sampling.temperature == 0.5)
        #expect(plan.request.sampling.topP == 0.9)
        // Follow-ups continue the turns, not the instructions.
        #expect(plan.conversation == [ChatMessage(role: .user, content: "Hi")])
    }

    @Test func itemsOfEarlierTurnsBecomeTheConversation() throws {
        let messages = try messages(
            #"""
            {"model":"m","input":[
              {"role":"developer","content":"Use tools."},
              {"type":"message","role":"user","content":[{"type":"input_text","text":"Weather "},{"type":"input_text","text":"in Oslo?"}]},
              {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Look it up."}]},
              {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Checking.","annotations":[]}]},
              {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Oslo\"}"},
              {"type":"function_call","call_id":"call_2","name":"get_time","arguments":{"city":"Oslo"}},
              {"type":"function_call_output","call_id":"call_1","output":"3 degrees"},
              {"type":"function_call_output","call_id":"call_2","output":[{"type":"input_text","text":"noon"}]}
            ]}
            """#)
        #expect(
            messages == [
                ChatMessage(role: .system, content: "Use tools."),
                ChatMessage(role: .user, content: "Weather in Oslo?"),
                ChatMessage(
                    role: .assistant, content: "Checking.", reasoning: "Look it up.",
                    toolCalls: [
                        ToolCall(id: "call_1", name: "get_weather", arguments: #"{"city":"Oslo"}"#),
                        ToolCall(id: "call_2", name: "get_time", arguments: #"{"city":"Oslo"}"#),
                    ]),
                ChatMessage(role: .tool, content: "3 degrees", toolCallID: "call_1", toolName: "get_weather"),
                ChatMessage(role: .tool, content: "noon", toolCallID: "call_2", toolName: "get_time"),
            ])
    }

    @Test func aFollowUpContinuesTheEarlierTurns() throws {
        let earlier = [ChatMessage(role: .user, content: "Hi"), ChatMessage(role: .assistant, content: "Hello!")]
        let plan = try plan(#"{"model":"m","instructions":"New rules.","input":"And now?"}"#, previous: earlier)
        #expect(
            plan.request.input
                == .chat(
                    [ChatMessage(role: .system, content: "New rules.")] + earlier + [
                        ChatMessage(role: .user, content: "And now?")
                    ]))
        #expect(plan.conversation.count == 3)
    }

    @Test func flatFunctionToolsBecomeTheCoresShape() throws {
        let request = try plan(
            #"""
            {"model":"m","input":"x","parallel_tool_calls":false,
             "tools":[{"type":"function","name":"get_weather","description":"Weather","strict":true,
                       "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}],
             "tool_choice":{"type":"function","name":"get_weather"}}
            """#
        ).request
        #expect(
            request.tools == [
                [
                    "type": "function",
                    "function": [
                        "name": "get_weather", "description": "Weather",
                        "parameters": ["type": "object", "properties": ["city": ["type": "string"]]],
                    ],
                ]
            ])
        #expect(request.toolChoice == .function("get_weather"))
        #expect(request.parallelToolCalls == false)
        #expect(
            try plan(#"{"model":"m","input":"x","tools":[{"type":"function","name":"f"}]}"#).request.toolChoice == .auto
        )
        #expect(try plan(#"{"model":"m","input":"x","tool_choice":"required"}"#).request.toolChoice == .required)
    }

    @Test func textFormatsAndReasoningEfforts() throws {
        let schema = #"{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}"#
        let structured = try plan(
            #"{"model":"m","input":"x","text":{"format":{"type":"json_schema","name":"person","schema":\#(schema),"strict":true}}}"#
        ).request
        #expect(
            structured.responseFormat
                == .jsonSchema(["type": "object", "properties": ["name": ["type": "string"]], "required": ["name"]]))
        #expect(
            try plan(#"{"model":"m","input":"x","text":{"format":{"type":"json_object"}}}"#).request.responseFormat
                == .jsonObject)
        #expect(
            try plan(#"{"model":"m","input":"x","text":{"format":{"type":"text"}}}"#).request.responseFormat == .text)
        let off = try plan(#"{"model":"m","input":"x","reasoning":{"effort":"none"}}"#).request
        #expect(off.thinking == false && off.reasoningEffort == nil)
        let high = try plan(#"{"model":"m","input":"x","reasoning":{"effort":"high","summary":"auto"}}"#).request
        #expect(high.thinking == nil && high.reasoningEffort == .high)
        let extensions = try plan(
            #"{"model":"m","input":"x","num_ctx":8192,"use_cache":"sys","store":false,"lora":"pirate"}"#)
        #expect(extensions.request.contextLength == 8192)
        #expect(extensions.request.lora == "pirate")
        #expect(extensions.request.useCache == "sys")
        #expect(extensions.settings.store == false)
    }

    @Test(arguments: [
        (#"{"input":"x"}"#, "model"),
        (#"{"model":"m"}"#, "input"),
        (#"{"model":"m","input":42}"#, "input"),
        (#"{"model":"m","input":[{"type":"item_reference","id":"msg_1"}]}"#, "input[0].type"),
        (#"{"model":"m","input":[{"type":"message","role":"robot","content":"x"}]}"#, "input[0].role"),
        (
            #"{"model":"m","input":[{"role":"user","content":[{"type":"input_text","text":"a"},{"type":"input_image","image_url":"file:///y.png"}]}]}"#,
            "input[0].content[1].image_url"
        ),
        (
            #"{"model":"m","input":[{"role":"user","content":[{"type":"input_file","file_id":"f"}]}]}"#,
            "input[0].content[0]"
        ),
        (#"{"model":"m","input":["x"]}"#, "input[0]"),
        (#"{"model":"m","input":[{"type":"function_call","name":"f","arguments":"{}"}]}"#, "input[0].call_id"),
        (#"{"model":"m","input":[{"type":"function_call_output","call_id":"c","output":7}]}"#, "input[0].output"),
        (#"{"model":"m","input":"x","tools":[{"type":"web_search"}]}"#, "tools[0].type"),
        (
            #"{"model":"m","input":"x","tools":[{"type":"function","name":"f"},{"type":"file_search"}]}"#,
            "tools[1].type"
        ),
        (#"{"model":"m","input":"x","tools":[{"type":"function"}]}"#, "tools[0].name"),
        (#"{"model":"m","input":"x","tools":{"type":"function"}}"#, "tools"),
        (#"{"model":"m","input":"x","tool_choice":"sometimes"}"#, "tool_choice"),
        (#"{"model":"m","input":"x","tool_choice":{"type":"web_search_preview"}}"#, "tool_choice"),
        (#"{"model":"m","input":"x","text":{"format":{"type":"yaml"}}}"#, "text.format"),
        (#"{"model":"m","input":"x","text":{"format":"json"}}"#, "text.format"),
        (#"{"model":"m","input":"x","reasoning":{"effort":"extreme"}}"#, "reasoning.effort"),
        (#"{"model":"m","input":"x","max_output_tokens":0}"#, "max_output_tokens"),
        (#"{"model":"m","input":"x","max_output_tokens":"ten"}"#, "max_output_tokens"),
        (#"{"model":"m","input":"x","temperature":3}"#, "temperature"),
        (#"{"model":"m","input":"x","top_p":-1}"#, "top_p"),
        (#"{"model":"m","input":"x","background":true}"#, "background"),
        (#"{"model":"m","input":"x","conversation":"conv_1"}"#, "conversation"),
        (#"{"model":"m","input":"x","truncation":"sometimes"}"#, "truncation"),
        (#"{"model":"m","input":"x","metadata":{"a":1}}"#, "metadata.a"),
        (#"{"model":"m","input":"x","num_ctx":0}"#, "num_ctx"),
    ])
    func malformedRequestsAreA400NamingTheField(json: String, param: String) throws {
        do {
            _ = try plan(json)
            Issue.record("accepted \(json)")
        } catch let error as OpenAIError {
            #expect(error.status == .badRequest)
            #expect(error.type == "invalid_request_error")
            #expect(error.param == param, "\(error.message)")
        }
    }
}
