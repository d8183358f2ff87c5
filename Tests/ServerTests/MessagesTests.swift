import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import Server

/// `POST /v1/messages` and `/v1/messages/count_tokens` on the real server: SmolLM2 on llama.cpp, and the
/// qwen3 of the RKLLM simulator for thinking, tool calls and stop sequences.
@Suite(.serialized) struct MessagesTests {
    private static let question = #"[{"role":"user","content":"What is the capital of France?"}]"#
    private static let system = #","system":[{"type":"text","text":"You are a helpful assistant."}]"#

    private func body(_ model: String = TestModel.name, _ messages: String = question, extra: String = "") -> String {
        #"{"model":"\#(model)","max_tokens":30,"temperature":0,"messages":\#(messages)\#(extra)}"#
    }

    /// The `(event, data)` pairs of an Anthropic stream; a frame without both lines is `("NOT-A-FRAME", [:])`.
    private func frames(_ response: TestResponse) throws -> [(String, [String: Any])] {
        try String(buffer: response.body).components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { frame in
            let lines = frame.components(separatedBy: "\n")
            guard lines.count == 2, lines[0].hasPrefix("event: "), lines[1].hasPrefix("data: ") else {
                return ("NOT-A-FRAME", [:])
            }
            return (String(lines[0].dropFirst(7)), try object(String(lines[1].dropFirst(6))))
        }
    }

    private func anthropicError(_ response: TestResponse) throws -> [String: Any] {
        let body = try object(response)
        #expect(body["type"] as? String == "error")
        let error = try #require(body["error"] as? [String: Any])
        #expect(error["message"] is String)
        return error
    }

    @Test func answersInAnthropicsShape() async throws {
        try await withServer { client in
            let response = try await post(client, "/v1/messages", body(extra: Self.system))
            #expect(response.status == .ok)
            let message = try object(response)
            #expect((message["id"] as? String)?.hasPrefix("msg_") == true)
            #expect(message["type"] as? String == "message")
            #expect(message["role"] as? String == "assistant")
            #expect(message["model"] as? String == TestModel.name)
            let content = try #require(message["content"] as? [[String: Any]])
            #expect(content.first?["type"] as? String == "text")
            #expect((content.first?["text"] as? String)?.contains("Paris") == true, "\(content)")
            #expect(["end_turn", "max_tokens"].contains(message["stop_reason"] as? String))
            #expect(message["stop_sequence"] is NSNull)
            let usage = try #require(message["usage"] as? [String: Any])
            #expect((usage["input_tokens"] as? Int ?? 0) > 5)
            #expect((usage["output_tokens"] as? Int ?? 0) > 0)
            #expect(usage["cache_read_input_tokens"] is Int)
        }
    }

    @Test func streamsTheSameAnswerAsEvents() async throws {
        try await withServer { client in
            let whole = try object(try await post(client, "/v1/messages", body()))
            let expected = ((whole["content"] as? [[String: Any]])?.first?["text"] as? String) ?? "?"
            let response = try await post(client, "/v1/messages", body(extra: #","stream":true"#))
            #expect(response.headers[.contentType] == "text/event-stream")
            let events = try frames(response)
            #expect(events.allSatisfy { $0.1["type"] as? String == $0.0 })
            let names = events.map(\.0).filter { $0 != "content_block_delta" }
            #expect(
                names == [
                    "message_start", "ping", "content_block_start", "content_block_stop", "message_delta",
                    "message_stop",
                ])
            let text = events.compactMap { ($0.1["delta"] as? [String: Any])?["text"] as? String }.joined()
            #expect(text == expected)
            let delta = try #require(events.first { $0.0 == "message_delta" }?.1)
            #expect((delta["delta"] as? [String: Any])?["stop_reason"] as? String == whole["stop_reason"] as? String)
            #expect(
                (delta["usage"] as? [String: Any])?["output_tokens"] as? Int
                    == (whole["usage"] as? [String: Any])?["output_tokens"] as? Int)
        }
    }

    @Test func countsTheTokensOfTheRenderedPrompt() async throws {
        try await withServer { client in
            let plain = try object(try await post(client, "/v1/messages/count_tokens", body(extra: "")))
            let count = try #require(plain["input_tokens"] as? Int)
            let longer = try object(
                try await post(
                    client, "/v1/messages/count_tokens",
                    body(
                        TestModel.name,
                        #"[{"role":"user","content":"What is the capital of France? Answer in one word."}]"#)))
            #expect(count > 5)
            #expect((longer["input_tokens"] as? Int ?? 0) > count)
            let answer = try object(
                try await post(client, "/v1/messages", body().replacing(#""max_tokens":30"#, with: #""max_tokens":1"#)))
            let usage = try #require(answer["usage"] as? [String: Any])
            #expect((usage["input_tokens"] as? Int ?? 0) + (usage["cache_read_input_tokens"] as? Int ?? 0) == count)
        }
    }

    @Test func errorsBeforeAndInTheControllerAreInAnthropicsShape() async throws {
        try await withServer(maxBodyBytes: 2048) { client in
            let missing = try await post(
                client, "/v1/messages", #"{"model":"\#(TestModel.name)","messages":\#(Self.question)}"#)
            #expect(missing.status == .badRequest)
            #expect(try anthropicError(missing)["type"] as? String == "invalid_request_error")

            let unknown = try await post(client, "/v1/messages", body("claude-sonnet-4-5"))
            #expect(unknown.status == .notFound)
            let notFound = try anthropicError(unknown)
            #expect(notFound["type"] as? String == "not_found_error")
            #expect((notFound["message"] as? String)?.contains(TestModel.name) == true)

            let wrongMethod = try await client.execute(uri: "/v1/messages", method: .get)
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(try anthropicError(wrongMethod)["type"] as? String == "invalid_request_error")

            let noRoute = try await post(client, "/v1/messages/batches", body())
            #expect(noRoute.status == .notFound)
            #expect(try anthropicError(noRoute)["type"] as? String == "not_found_error")

            // Last: the server closes the connection after a body it will not read.
            let big = try await post(
                client, "/v1/messages", body(extra: #","system":"\#(String(repeating: "x", count: 4096))""#))
            #expect(big.status == .contentTooLarge)
            #expect(try anthropicError(big)["type"] as? String == "request_too_large")
        }
    }

    @Test func aMissingKeyIsAnAuthenticationErrorAndXAPIKeyIsAccepted() async throws {
        try await withServer(access: AccessConfiguration(apiKeys: ["sk-messages"])) { client in
            let refused = try await post(client, "/v1/messages/count_tokens", body())
            #expect(refused.status == .unauthorized)
            #expect(try anthropicError(refused)["type"] as? String == "authentication_error")
            let accepted = try await client.execute(
                uri: "/v1/messages/count_tokens", method: .post,
                headers: [.contentType: "application/json", .xAPIKey: "sk-messages", .anthropicVersion: "2023-06-01"],
                body: ByteBuffer(string: body()))
            #expect(accepted.status == .ok)
        }
    }

    @Test(arguments: Simulator.layouts)
    func thinkingAToolCallAndStopSequencesOnTheSimulator(layout: String) async throws {
        let call = #"<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}\n</tool_call>"#
        let tools = #","tools":[{"name":"get_weather","input_schema":{"type":"object"}}]"#
        try await withSimulatorServer(layout: layout) { client in
            let thought = try object(
                try await post(
                    client, "/v1/messages",
                    #"{"model":"qwen3-0.6b","max_tokens":2048,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"[[echo]]<think>Cold.</think>Coat.\#(call)[[/echo]]"}]\#(tools)}"#
                ))
            let content = try #require(thought["content"] as? [[String: Any]])
            #expect(content.map { $0["type"] as? String } == ["thinking", "text", "tool_use"])
            #expect(content[0]["thinking"] as? String == "Cold.")
            #expect(content[1]["text"] as? String == "Coat.")
            #expect((content[2]["id"] as? String)?.hasPrefix("toolu_") == true)
            #expect((content[2]["input"] as? [String: Any])?["city"] as? String == "Oslo")
            #expect(thought["stop_reason"] as? String == "tool_use")

            let stopped = try object(
                try await post(
                    client, "/v1/messages",
                    #"{"model":"qwen3-0.6b","max_tokens":100,"stop_sequences":["END"],"messages":[{"role":"user","content":"[[echo]]one two END three[[/echo]]"}]}"#
                ))
            #expect(((stopped["content"] as? [[String: Any]])?.first?["text"] as? String) == "one two ")
            #expect(stopped["stop_reason"] as? String == "stop_sequence")
            #expect(stopped["stop_sequence"] as? String == "END")
        }
    }
}

extension HTTPFields.Element.Name {
    fileprivate static let anthropicVersion = Self("anthropic-version")!
}
