import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// `/v1/responses` on the RKLLM simulator: the NPU path answers, streams, thinks and calls tools in the
/// Responses shape too.
@Suite(.serialized) struct ResponsesRKLLMTests {
    static let answer = "Grüße aus München — 𝄞 ✓"

    private func request(_ echo: String, extra: String = "") -> String {
        #"{"model":"qwen3-0.6b","input":[{"role":"user","content":"[[echo]]\#(echo)[[/echo]]"}]\#(extra)}"#
    }

    @Test func answersAndStreamsWholeCharacters() async throws {
        try await withSimulatorServer(layout: "1.3") { client in
            let whole = try object(try await post(client, "/v1/responses", request(Self.answer)))
            #expect(whole["status"] as? String == "completed")
            #expect(outputText(whole) == Self.answer)
            let events = try responseEvents(
                try await post(client, "/v1/responses", request(Self.answer, extra: #","stream":true"#)))
            let pieces = events.filter { $0.0 == "response.output_text.delta" }.compactMap { $0.1["delta"] as? String }
            #expect(pieces.joined() == Self.answer)
            #expect(pieces.allSatisfy { !$0.unicodeScalars.contains("\u{FFFD}") })
            #expect(events.last?.0 == "response.completed")
        }
    }

    @Test func thinkingAndAToolCallAreTheirOwnItems() async throws {
        try await withSimulatorServer(layout: "1.3") { client in
            let call = #"<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}\n</tool_call>"#
            let tools =
                #"[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}]"#
            let body = try object(
                try await post(
                    client, "/v1/responses", request("<think>Look it up.</think>\(call)", extra: #","tools":\#(tools)"#)
                ))
            let output = try #require(body["output"] as? [[String: Any]])
            #expect(output.map { $0["type"] as? String } == ["reasoning", "function_call"])
            #expect((output[0]["summary"] as? [[String: Any]])?.first?["text"] as? String == "Look it up.")
            #expect(output[1]["arguments"] as? String == #"{"city":"Oslo"}"#)
            let usage = try #require(body["usage"] as? [String: Any])
            #expect(((usage["output_tokens_details"] as? [String: Any])?["reasoning_tokens"] as? Int ?? 0) > 0)
        }
    }
}
