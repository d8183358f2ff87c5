import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Tool calls, reasoning and structured-output refusals through both dialects, on the RKLLM simulator: its
/// echo markers make the "model" write `<think>` and `<tool_call>` text.
@Suite(.serialized) struct ToolCallServerTests {
    static let tools =
        #"[{"type":"function","function":{"name":"get_weather","description":"Weather of a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]"#
    static let callText =
        #"<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\", \"unit\": \"c\"}}\n</tool_call>"#
    static let thinkText = #"<think>It is winter there.</think>Wear a coat."#

    private func chat(_ echo: String, extra: String = "") -> String {
        #"{"model":"qwen3-0.6b","messages":[{"role":"user","content":"[[echo]]\#(echo)[[/echo]]"}]\#(extra)}"#
    }

    private func choice(_ body: [String: Any]) throws -> [String: Any] {
        try #require((body["choices"] as? [[String: Any]])?.first)
    }

    @Test(arguments: Simulator.layouts)
    func openAIAnswersWithToolCalls(layout: String) async throws {
        try await withSimulatorServer(layout: layout) { client in
            let start = Simulator.eventCount()
            let response = try await post(
                client, "/v1/chat/completions", chat(Self.callText, extra: #","tools":\#(Self.tools)"#))
            #expect(response.status == .ok)
            let choice = try choice(try object(response))
            let message = try #require(choice["message"] as? [String: Any])
            #expect(message["content"] is NSNull)
            #expect(choice["finish_reason"] as? String == "tool_calls")
            let call = try #require((message["tool_calls"] as? [[String: Any]])?.first)
            #expect((call["id"] as? String)?.hasPrefix("call_") == true)
            #expect(call["type"] as? String == "function")
            let function = try #require(call["function"] as? [String: Any])
            #expect(function["name"] as? String == "get_weather")
            // A string, with the keys in the order the model wrote them.
            #expect(function["arguments"] as? String == #"{"city":"Oslo","unit":"c"}"#)
            // The tools reached the runtime through rkllm_set_function_tools.
            #expect(Simulator.events(from: start).contains { $0.contains("set_function_tools") })
        }
    }

    @Test func openAIStreamsToolCallsKeyedByIndex() async throws {
        try await withSimulatorServer(layout: "1.3") { client in
            let response = try await post(
                client, "/v1/chat/completions", chat(Self.callText, extra: #","tools":\#(Self.tools),"stream":true"#))
            let payloads = events(response)
            #expect(payloads.last == "[DONE]")
            let choices = try payloads.dropLast().map(object).compactMap {
                ($0["choices"] as? [[String: Any]])?.first
            }
            let calls = choices.compactMap { ($0["delta"] as? [String: Any])?["tool_calls"] as? [[String: Any]] }
            #expect(calls.count == 1)
            let first = try #require(calls.first?.first)
            #expect(first["index"] as? Int == 0)
            #expect(first["id"] is String)
            #expect(first["type"] as? String == "function")
            let function = try #require(first["function"] as? [String: Any])
            #expect(function["name"] as? String == "get_weather")
            #expect(function["arguments"] as? String == #"{"city":"Oslo","unit":"c"}"#)
            #expect(choices.last?["finish_reason"] as? String == "tool_calls")
            let text = choices.compactMap { ($0["delta"] as? [String: Any])?["content"] as? String }.joined()
            #expect(!text.contains("tool_call"))
        }
    }

    @Test func toolChoiceNoneLeavesTheTextAlone() async throws {
        try await withSimulatorServer(layout: "1.3") { client in
            let start = Simulator.eventCount()
            let body = try object(
                try await post(
                    client, "/v1/chat/completions",
                    chat(Self.callText, extra: #","tools":\#(Self.tools),"tool_choice":"none""#)))
            let choice = try choice(body)
            let message = try #require(choice["message"] as? [String: Any])
            #expect((message["content"] as? String)?.contains("<tool_call>") == true)
            #expect(message["tool_calls"] == nil)
            #expect(choice["finish_reason"] as? String == "stop")
            #expect(!Simulator.events(from: start).contains { $0.contains("set_function_tools") })
        }
    }

    @Test func aToolResultGoesBackToTheModel() async throws {
        try await withSimulatorServer(layout: "1.3") { client in
            let body = try object(
                try await post(
                    client, "/v1/chat/completions",
                    #"""
                    {"model":"qwen3-0.6b","tools":\#(Self.tools),"messages":[
                      {"role":"user","content":"Weather in Oslo?"},
                      {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Oslo\"}"}}]},
                      {"role":"tool","tool_call_id":"call_1","content":"[[echo]]It is 3 degrees in Oslo.[[/echo]]"}]}
                    """#))
            let message = try #require(try choice(body)["message"] as? [String: Any])
            #expect(message["content"] as? String == "It is 3 degrees in Oslo.")
        }
    }

    @Test(arguments: ["reasoning_content", "reasoning"])
    func openAISplitsReasoning(field: String) async throws {
        try await withSimulatorServer(layout: "1.3", reasoningField: field) { client in
            let body = try object(try await post(client, "/v1/chat/completions", chat(Self.thinkText)))
            let message = try #require(try choice(body)["message"] as? [String: Any])
            #expect(message[field] as? String == "It is winter there.")
            #expect(message["content"] as? String == "Wear a coat.")
            let details = (body["usage"] as? [String: Any])?["completion_tokens_details"] as? [String: Any]
            #expect((details?["reasoning_tokens"] as? Int ?? 0) > 0)
        }
    }

    @Test func openAIStreamsReasoningDeltas() async throws {
        try await withSimulatorServer(layout: "1.2") { client in
            let response = try await post(
                client, "/v1/chat/completions",
                chat(Self.thinkText, extra: #","stream":true,"stream_options":{"include_usage":true}"#))
            let chunks = try events(response).dropLast().map(object)
            let deltas = chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any] }
            #expect(deltas.compactMap { $0["reasoning_content"] as? String }.joined() == "It is winter there.")
            #expect(deltas.compactMap { $0["content"] as? String }.joined() == "Wear a coat.")
            let usage = chunks.last?["usage"] as? [String: Any]
            #expect(((usage?["completion_tokens_details"] as? [String: Any])?["reasoning_tokens"] as? Int ?? 0) > 0)
        }
    }

    @Test func ollamaChatGivesObjectArgumentsAndThinking() async throws {
        try await withSimulatorServer(layout: "1.3") { client in
            let body = try object(
                try await post(
                    client, "/api/chat",
                    #"{"model":"qwen3-0.6b","stream":false,"tools":\#(Self.tools),"messages":[{"role":"user","content":"[[echo]]<think>Look it up.</think>\#(Self.callText)[[/echo]]"}]}"#
                ))
            let message = try #require(body["message"] as? [String: Any])
            #expect(message["thinking"] as? String == "Look it up.")
            let call = try #require((message["tool_calls"] as? [[String: Any]])?.first)
            let function = try #require(call["function"] as? [String: Any])
            #expect(function["name"] as? String == "get_weather")
            let arguments = try #require(function["arguments"] as? [String: Any])
            #expect(arguments["city"] as? String == "Oslo")
            #expect(body["done_reason"] as? String == "stop")
        }
    }

    @Test func ollamaStreamsAWholeCallInOneLine() async throws {
        try await withSimulatorServer(layout: "1.3") { client in
            let response = try await post(
                client, "/api/chat",
                #"{"model":"qwen3-0.6b","tools":\#(Self.tools),"messages":[{"role":"user","content":"[[echo]]\#(Self.callText)[[/echo]]"}]}"#
            )
            let lines = try String(buffer: response.body).split(separator: "\n").map { try object(String($0)) }
            let calls = lines.compactMap { ($0["message"] as? [String: Any])?["tool_calls"] as? [[String: Any]] }
            #expect(calls.count == 1)
            let arguments = (calls.first?.first?["function"] as? [String: Any])?["arguments"] as? [String: Any]
            #expect(arguments?["unit"] as? String == "c")
            #expect(lines.last?["done"] as? Bool == true)
        }
    }

    @Test func ollamaGenerateHasAThinkingField() async throws {
        try await withSimulatorServer(layout: "1.3") { client in
            let body = try object(
                try await post(
                    client, "/api/generate",
                    #"{"model":"qwen3-0.6b","stream":false,"prompt":"[[echo]]\#(Self.thinkText)[[/echo]]"}"#))
            #expect(body["thinking"] as? String == "It is winter there.")
            #expect(body["response"] as? String == "Wear a coat.")
        }
    }

    @Test func structuredOutputIsRefusedOnTheNPU() async throws {
        try await withSimulatorServer(layout: "1.3") { client in
            let openAI = try await post(
                client, "/v1/chat/completions", chat("{}", extra: #","response_format":{"type":"json_object"}"#))
            #expect(openAI.status == .badRequest)
            #expect((try openAIError(openAI)["message"] as? String)?.contains("structured output") == true)
            let ollama = try await post(
                client, "/api/chat",
                #"{"model":"qwen3-0.6b","format":"json","messages":[{"role":"user","content":"x"}]}"#)
            #expect(ollama.status == .badRequest)
            #expect((try object(ollama)["error"] as? String)?.contains("structured output") == true)
        }
    }

    @Test func theNPURuntimeCannotTokenize() async throws {
        try await withSimulatorServer(layout: "1.3") { client in
            let response = try await post(client, "/tokenize", #"{"content":"Hello"}"#)
            #expect(response.status == .badRequest)
            #expect((try openAIError(response)["message"] as? String)?.contains("cannot tokenize") == true)
        }
    }
}
