import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// `tool_choice` "required" and a named function on the llama engine, which holds SmolLM2 to a call of an
/// offered tool with a grammar built from the tools' parameter schemas.
@Suite(.serialized) struct ToolChoiceTests {
    static let tools = #"""
        [{"type":"function","function":{"name":"get_weather","description":"Weather of a city","parameters":{"type":"object","properties":{"city":{"type":"string","maxLength":30}},"required":["city"]}}},
         {"type":"function","function":{"name":"get_time","description":"Time in a time zone","parameters":{"type":"object","properties":{"zone":{"type":"string","enum":["UTC","CET","PST"]}},"required":["zone"]}}}]
        """#

    /// Asks with `toolChoice` and hands the first call's name, parsed arguments and finish reason to `check`.
    private func call(
        _ toolChoice: String, check: @escaping @Sendable (String, [String: Any], String?) throws -> Void
    ) async throws {
        try await withServer { client in
            let body =
                #"{"model":"smollm2-135m-instruct","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Hello! How are you today?"}],"tools":\#(Self.tools),"tool_choice":\#(toolChoice),"max_tokens":60,"temperature":0}"#
            let response = try await post(client, "/v1/chat/completions", body)
            #expect(response.status == .ok)
            let choice = try #require((try object(response)["choices"] as? [[String: Any]])?.first)
            let message = try #require(choice["message"] as? [String: Any])
            let call = try #require((message["tool_calls"] as? [[String: Any]])?.first)
            let function = try #require(call["function"] as? [String: Any])
            let arguments = try #require(function["arguments"] as? String)
            let parsed = try #require(
                try JSONSerialization.jsonObject(with: Data(arguments.utf8)) as? [String: Any])
            try check(try #require(function["name"] as? String), parsed, choice["finish_reason"] as? String)
        }
    }

    @Test func requiredMakesAModelThatWouldChatCallATool() async throws {
        try await call(#""required""#) { name, arguments, finish in
            #expect(["get_weather", "get_time"].contains(name))
            #expect(finish == "tool_calls")
            if name == "get_weather" { #expect(arguments["city"] is String) }
            if name == "get_time" { #expect(["UTC", "CET", "PST"].contains(arguments["zone"] as? String)) }
        }
    }

    @Test func aNamedFunctionIsTheOneCalled() async throws {
        try await call(#"{"type":"function","function":{"name":"get_time"}}"#) { name, arguments, finish in
            #expect(name == "get_time")
            #expect(["UTC", "CET", "PST"].contains(arguments["zone"] as? String))
            #expect(finish == "tool_calls")
        }
    }
}
