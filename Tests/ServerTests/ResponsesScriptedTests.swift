import Foundation
import Hummingbird
import HummingbirdTesting
import InferenceTypes
import TestSupport
import Testing

/// `/v1/responses` through the real router on a scripted engine: reasoning and tool calls as output items, and
/// every malformed request a 4xx in OpenAI's error shape. No model, milliseconds a test.
@Suite struct ResponsesScriptedTests {
    static let call = #"<tool_call>{"name": "get_weather", "arguments": {"city": "Oslo"}}</tool_call>"#
    static let tools = #"[{"type":"function","name":"get_weather","parameters":{"type":"object"}}]"#

    private static var answer: [ScriptedEngine.Step] {
        ScriptedEngine.answer(["<think>", "Cold.", "</think>", "Checking.", call])
    }

    private static let body = #"{"model":"scripted","input":"Weather?","tools":\#(tools)}"#

    @Test func reasoningTextAndCallsAreOutputItems() async throws {
        try await withScriptedRouter(Self.answer) { client in
            let response = try object(try await post(client, "/v1/responses", Self.body))
            let output = try #require(response["output"] as? [[String: Any]])
            #expect(output.map { $0["type"] as? String } == ["reasoning", "message", "function_call"])
            let summary = try #require(output[0]["summary"] as? [[String: Any]])
            #expect(summary.first?["type"] as? String == "summary_text" && summary.first?["text"] as? String == "Cold.")
            #expect(outputText(response) == "Checking.")
            #expect(output[2]["name"] as? String == "get_weather")
            #expect(output[2]["arguments"] as? String == #"{"city":"Oslo"}"#)
            #expect((output[2]["call_id"] as? String)?.isEmpty == false)
            #expect(response["tool_choice"] as? String == "auto")
            #expect(response["parallel_tool_calls"] as? Bool == true)
        }
    }

    @Test func theStreamCarriesTheSameItemsInOrder() async throws {
        try await withScriptedRouter(Self.answer) { client in
            let body = Self.body.dropLast() + #","stream":true}"#
            let events = try responseEvents(try await post(client, "/v1/responses", String(body)))
            #expect(events.map { $0.1["sequence_number"] as? Int } == Array(0..<events.count))
            let added = events.filter { $0.0 == "response.output_item.added" }.compactMap {
                ($0.1["item"] as? [String: Any])?["type"] as? String
            }
            #expect(added == ["reasoning", "message", "function_call"])
            let reasoning = events.filter { $0.0 == "response.reasoning_summary_text.delta" }
            #expect(reasoning.compactMap { $0.1["delta"] as? String }.joined() == "Cold.")
            let arguments = try #require(events.first { $0.0 == "response.function_call_arguments.done" }?.1)
            #expect(arguments["name"] as? String == "get_weather")
            #expect(events.last?.0 == "response.completed")
        }
    }

    @Test(
        arguments: [
            (#"{"model":"scripted","input":"x","tools":[{"type":"web_search_preview"}]}"#, 400, "tools[0].type"),
            (#"{"model":"scripted","input":[{"type":"input_image"}]}"#, 400, "input[0].type"),
            (#"{"model":"scripted","input":"x","previous_response_id":"resp_unknown"}"#, 400, "previous_response_id"),
            (#"{"model":"nope","input":"x"}"#, 404, "model"),
            (
                #"{"model":"scripted","input":"x","text":{"format":{"type":"json_schema","schema":{"type":"nonsense"}}}}"#,
                400, "text.format"
            ),
            (#"{"model":"scripted","input":"x""#, 400, nil),
            (#"[1,2]"#, 400, nil),
        ] as [(String, Int, String?)])
    func malformedRequestsAreA4xxInOpenAIsShape(body: String, status: Int, param: String?) async throws {
        try await withScriptedRouter(Self.answer) { client in
            // Counting renders the prompt only: it has no grammar to compile from the format.
            let paths = param == "text.format" ? ["/v1/responses"] : ["/v1/responses", "/v1/responses/input_tokens"]
            for path in paths {
                let response = try await post(client, path, body)
                #expect(response.status.code == status, "\(path) \(body)")
                let error = try openAIError(response)
                if let param { #expect(error["param"] as? String == param) }
            }
        }
    }

    @Test func unknownStoredResponsesAre404() async throws {
        try await withScriptedRouter(Self.answer) { client in
            for method in [HTTPRequest.Method.get, .delete] {
                let response = try await client.execute(uri: "/v1/responses/resp_nothing", method: method)
                #expect(response.status == .notFound)
                #expect(try openAIError(response)["message"] as? String == "Response with id 'resp_nothing' not found.")
            }
        }
    }

    @Test func previousResponseNotFoundIsOpenAIsCode() async throws {
        try await withScriptedRouter(Self.answer) { client in
            let response = try await post(
                client, "/v1/responses", #"{"model":"scripted","input":"x","previous_response_id":"resp_gone"}"#)
            let error = try openAIError(response)
            #expect(error["code"] as? String == "previous_response_not_found")
            #expect((error["message"] as? String)?.contains("resp_gone") == true)
        }
    }
}
