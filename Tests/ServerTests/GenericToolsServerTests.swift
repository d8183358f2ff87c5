import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Tools on SmolLM2, whose chat template has no tools: the core's generic tool prompt, held to its grammar on
/// llama.cpp, in both dialects.
@Suite(.serialized) struct GenericToolsServerTests {
    static let tools = #"""
        [{"type":"function","function":{"name":"get_weather","description":"Current weather of a city","parameters":{"type":"object","properties":{"city":{"type":"string","maxLength":30}},"required":["city"]}}}]
        """#
    static let question = #"{"role":"user","content":"What is the weather in Paris right now?"}"#

    @Test("/v1/chat/completions with tool_choice required gets a call of the tool with arguments that parse")
    func openAIRequiredCall() async throws {
        try await withServer { client in
            let response = try await post(
                client, "/v1/chat/completions",
                #"{"model":"\#(TestModel.name)","messages":[\#(Self.question)],"tools":\#(Self.tools),"tool_choice":"required","parallel_tool_calls":false,"max_tokens":60,"temperature":0}"#
            )
            #expect(response.status == .ok)
            let choice = try #require((try object(response)["choices"] as? [[String: Any]])?.first)
            #expect(choice["finish_reason"] as? String == "tool_calls")
            let message = try #require(choice["message"] as? [String: Any])
            let calls = try #require(message["tool_calls"] as? [[String: Any]])
            #expect(calls.count == 1)
            let function = try #require(calls.first?["function"] as? [String: Any])
            #expect(function["name"] as? String == "get_weather")
            let arguments = try #require(function["arguments"] as? String)
            let parsed = try JSONSerialization.jsonObject(with: Data(arguments.utf8)) as? [String: Any]
            #expect(parsed?["city"] is String)
            #expect((message["content"] as? String ?? "").isEmpty)
        }
    }

    @Test("/api/chat with tools answers with a parsed call or plain text, never the call's raw JSON")
    func ollamaAutoAnswer() async throws {
        try await withServer { client in
            for question in [Self.question, #"{"role":"user","content":"Say hello to me."}"#] {
                let response = try await post(
                    client, "/api/chat",
                    #"{"model":"\#(TestModel.name)","stream":false,"messages":[\#(question)],"tools":\#(Self.tools),"options":{"temperature":0,"num_predict":60}}"#
                )
                #expect(response.status == .ok)
                let message = try #require(try object(response)["message"] as? [String: Any])
                let content = message["content"] as? String ?? ""
                let calls = message["tool_calls"] as? [[String: Any]] ?? []
                #expect(!content.contains("\"tool_call"), "\(content)")
                #expect(!content.trimmingCharacters(in: .whitespaces).hasPrefix("{"), "\(content)")
                for call in calls {
                    let function = try #require(call["function"] as? [String: Any])
                    #expect(function["name"] as? String == "get_weather")
                    #expect(function["arguments"] is [String: Any])
                }
                #expect(!calls.isEmpty || !content.isEmpty)
            }
        }
    }

    @Test("a tool result sent back is shown to the model, which answers in plain text")
    func roundTrip() async throws {
        try await withServer { client in
            let history =
                #"\#(Self.question),{"role":"assistant","content":"","tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},{"role":"tool","tool_call_id":"call_1","content":"Sunny, 24 C"}"#
            let response = try await post(
                client, "/v1/chat/completions",
                #"{"model":"\#(TestModel.name)","messages":[\#(history)],"tools":\#(Self.tools),"tool_choice":"none","max_tokens":40,"temperature":0}"#
            )
            #expect(response.status == .ok)
            let choice = try #require((try object(response)["choices"] as? [[String: Any]])?.first)
            let message = try #require(choice["message"] as? [String: Any])
            #expect(message["tool_calls"] == nil)
            #expect(!(message["content"] as? String ?? "").isEmpty)
        }
    }
}
