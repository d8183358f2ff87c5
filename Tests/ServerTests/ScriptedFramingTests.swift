import Foundation
import Hummingbird
import HummingbirdTesting
import InferenceCore
import InferenceTypes
import Logging
import ModelStore
import TestSupport
import Testing

@testable import Server

/// The SSE and NDJSON framing of reasoning and tool-call chunks, through the real router on a scripted engine:
/// no model, so it runs in milliseconds and in parallel with the other suites.
@Suite struct ScriptedFramingTests {
    static let call = #"<tool_call>{"name": "get_weather", "arguments": {"city": "Oslo"}}</tool_call>"#
    static let tools = #"[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]"#

    private static var answer: [ScriptedEngine.Step] {
        ScriptedEngine.answer(["<think>", "Cold.", "</think>", "Checking.", call])
    }

    @Test func openAIStreamsReasoningThenToolCallChunks() async throws {
        try await withScriptedRouter(Self.answer) { client in
            let body =
                #"{"model":"scripted","stream":true,"messages":[{"role":"user","content":"Weather?"}],"tools":\#(Self.tools)}"#
            let response = try await post(client, "/v1/chat/completions", body)
            #expect(response.status == .ok)
            let payloads = events(response)
            #expect(payloads.last == "[DONE]")
            let deltas = try payloads.dropLast().map(object).compactMap {
                (($0["choices"] as? [[String: Any]])?.first?["delta"]) as? [String: Any]
            }
            #expect(deltas.compactMap { $0["reasoning_content"] as? String }.joined() == "Cold.")
            #expect(deltas.compactMap { $0["content"] as? String }.joined() == "Checking.")
            let calls = deltas.compactMap { $0["tool_calls"] as? [[String: Any]] }.flatMap { $0 }
            #expect(calls.count == 1)
            #expect((calls.first?["function"] as? [String: Any])?["name"] as? String == "get_weather")
            let finish = try payloads.dropLast().map(object).compactMap {
                ($0["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String
            }
            #expect(finish == ["tool_calls"])
        }
    }

    @Test func ollamaStreamsThinkingAndToolCallLines() async throws {
        try await withScriptedRouter(Self.answer) { client in
            let body = #"{"model":"scripted","messages":[{"role":"user","content":"Weather?"}],"tools":\#(Self.tools)}"#
            let response = try await post(client, "/api/chat", body)
            #expect(response.status == .ok)
            let text = String(buffer: response.body)
            #expect(text.hasSuffix("\n") && !text.contains("data:"))
            let lines = try text.split(separator: "\n").map { try object(String($0)) }
            let messages = lines.compactMap { $0["message"] as? [String: Any] }
            #expect(messages.compactMap { $0["thinking"] as? String }.joined() == "Cold.")
            #expect(messages.compactMap { $0["content"] as? String }.joined() == "Checking.")
            let calls = messages.compactMap { $0["tool_calls"] as? [[String: Any]] }.flatMap { $0 }
            #expect(calls.count == 1)
            #expect(lines.last?["done"] as? Bool == true)
            #expect(lines.dropLast().allSatisfy { $0["done"] as? Bool == false })
        }
    }

    @Test func aMidStreamFailureEndsTheStreamWithAnErrorFrame() async throws {
        try await withScriptedRouter([.event(.text("Partial")), .fail(.engineFailure("the NPU fell over"))]) {
            client in
            let body = #"{"model":"scripted","stream":true,"messages":[{"role":"user","content":"Hi"}]}"#
            let payloads = events(try await post(client, "/v1/chat/completions", body))
            let error = try #require(try payloads.last.map(object)?["error"] as? [String: Any])
            #expect(error["message"] as? String == "generation failed: the NPU fell over")
        }
    }
}
