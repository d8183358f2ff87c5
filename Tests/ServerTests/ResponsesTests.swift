import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// The events of a Responses stream as `(event name, data object)`, checking each frame's framing.
func responseEvents(_ response: TestResponse) throws -> [(String, [String: Any])] {
    try String(buffer: response.body).components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { frame in
        let lines = frame.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == 2, lines[0].hasPrefix("event: "), lines[1].hasPrefix("data: ") else {
            throw JSONShapeError(body: frame)
        }
        let data = try object(String(lines[1].dropFirst(6)))
        #expect(data["type"] as? String == String(lines[0].dropFirst(7)))
        return (String(lines[0].dropFirst(7)), data)
    }
}

/// The text of a response's message items.
func outputText(_ response: [String: Any]) -> String {
    ((response["output"] as? [[String: Any]]) ?? []).filter { $0["type"] as? String == "message" }.flatMap {
        ($0["content"] as? [[String: Any]]) ?? []
    }.compactMap { $0["text"] as? String }.joined()
}

/// `POST /v1/responses` on the real SmolLM2: answers, streams, limits, structured output, tools, and follow-ups
/// through the store.
@Suite(.serialized) struct ResponsesTests {
    static let base =
        #""model":"\#(TestModel.name)","instructions":"You are a helpful assistant.","input":"What is the capital of France?","temperature":0"#

    @Test func answersWithAMessageAndUsage() async throws {
        try await withServer { client in
            let response = try await post(client, "/v1/responses", #"{\#(Self.base),"max_output_tokens":30}"#)
            #expect(response.status == .ok)
            let body = try object(response)
            #expect(body["object"] as? String == "response")
            #expect((body["id"] as? String)?.hasPrefix("resp_") == true)
            #expect(body["status"] as? String == "completed")
            #expect(body["model"] as? String == TestModel.name)
            #expect(body["instructions"] as? String == "You are a helpful assistant.")
            #expect(body["max_output_tokens"] as? Int == 30)
            let output = try #require(body["output"] as? [[String: Any]])
            #expect(output.map { $0["type"] as? String } == ["message"])
            #expect(output.first?["role"] as? String == "assistant")
            #expect(outputText(body).contains("Paris"))
            let usage = try #require(body["usage"] as? [String: Any])
            let input = try #require(usage["input_tokens"] as? Int)
            let generated = try #require(usage["output_tokens"] as? Int)
            #expect(input > 5 && generated > 0 && usage["total_tokens"] as? Int == input + generated)
        }
    }

    @Test func streamsTheSameAnswerInNumberedEvents() async throws {
        try await withServer { client in
            let whole = try object(try await post(client, "/v1/responses", #"{\#(Self.base),"max_output_tokens":30}"#))
            let response = try await post(
                client, "/v1/responses", #"{\#(Self.base),"max_output_tokens":30,"stream":true}"#)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/event-stream")
            #expect(!String(buffer: response.body).contains("[DONE]"))
            let events = try responseEvents(response)
            #expect(events.map { $0.1["sequence_number"] as? Int } == Array(0..<events.count))
            #expect(
                Array(events.map(\.0).prefix(4)) == [
                    "response.created", "response.in_progress", "response.output_item.added",
                    "response.content_part.added",
                ])
            #expect(
                Array(events.map(\.0).suffix(4)) == [
                    "response.output_text.done", "response.content_part.done", "response.output_item.done",
                    "response.completed",
                ])
            let text = events.filter { $0.0 == "response.output_text.delta" }.compactMap { $0.1["delta"] as? String }
            #expect(text.joined() == outputText(whole))
            let completed = try #require(events.last?.1["response"] as? [String: Any])
            #expect(outputText(completed) == outputText(whole))
            #expect(
                (completed["usage"] as? [String: Any])?["output_tokens"] as? Int
                    == (whole["usage"] as? [String: Any])?["output_tokens"] as? Int)
        }
    }

    @Test func theTokenLimitMakesAnIncompleteResponse() async throws {
        try await withServer { client in
            let body = try object(try await post(client, "/v1/responses", #"{\#(Self.base),"max_output_tokens":2}"#))
            #expect(body["status"] as? String == "incomplete")
            #expect((body["incomplete_details"] as? [String: Any])?["reason"] as? String == "max_output_tokens")
            #expect((body["usage"] as? [String: Any])?["output_tokens"] as? Int == 2)
        }
    }

    @Test func aFollowUpSeesExactlyTheEarlierTurns() async throws {
        try await withServer { client in
            let model = #""model":"\#(TestModel.name)","temperature":0,"max_output_tokens":12"#
            let first = try object(try await post(client, "/v1/responses", #"{\#(model),"input":"Hi, I am Ada."}"#))
            let id = try #require(first["id"] as? String)
            let reply = outputText(first)
            let second = try object(
                try await post(
                    client, "/v1/responses", #"{\#(model),"previous_response_id":"\#(id)","input":"Who am I?"}"#))
            #expect(second["previous_response_id"] as? String == id)
            let seen = try #require((second["usage"] as? [String: Any])?["input_tokens"] as? Int)
            // The same conversation sent whole renders to the same prompt.
            let history = try String(
                decoding: JSONSerialization.data(withJSONObject: [
                    ["role": "user", "content": "Hi, I am Ada."], ["role": "assistant", "content": reply],
                    ["role": "user", "content": "Who am I?"],
                ]), as: UTF8.self)
            let counted = try object(
                try await post(client, "/v1/responses/input_tokens", #"{\#(model),"input":\#(history)}"#))
            #expect(counted["object"] as? String == "response.input_tokens")
            #expect(counted["input_tokens"] as? Int == seen)

            let kept = try object(try await client.execute(uri: "/v1/responses/\(id)", method: .get))
            #expect(kept["id"] as? String == id && outputText(kept) == reply)
            let deleted = try object(try await client.execute(uri: "/v1/responses/\(id)", method: .delete))
            #expect(deleted["deleted"] as? Bool == true)
            #expect(try await client.execute(uri: "/v1/responses/\(id)", method: .get).status == .notFound)
            let gone = try await post(
                client, "/v1/responses", #"{\#(model),"previous_response_id":"\#(id)","input":"Who am I?"}"#)
            #expect(gone.status == .badRequest)
            #expect(try openAIError(gone)["code"] as? String == "previous_response_not_found")
        }
    }

    @Test func storeFalseKeepsNothing() async throws {
        try await withServer { client in
            let body = try object(
                try await post(client, "/v1/responses", #"{\#(Self.base),"max_output_tokens":3,"store":false}"#))
            #expect(body["store"] as? Bool == false)
            let id = try #require(body["id"] as? String)
            #expect(try await client.execute(uri: "/v1/responses/\(id)", method: .get).status == .notFound)
            let followUp = try await post(
                client, "/v1/responses",
                #"{"model":"\#(TestModel.name)","previous_response_id":"\#(id)","input":"And?"}"#)
            #expect(try openAIError(followUp)["param"] as? String == "previous_response_id")
        }
    }

    @Test func inputTokensCountsWhatTheResponseSees() async throws {
        try await withServer { client in
            let counted = try object(try await post(client, "/v1/responses/input_tokens", "{\(Self.base)}"))
            let answered = try object(
                try await post(client, "/v1/responses", #"{\#(Self.base),"max_output_tokens":1}"#))
            let count = try #require(counted["input_tokens"] as? Int)
            #expect(count > 5)
            #expect(count == (answered["usage"] as? [String: Any])?["input_tokens"] as? Int)
        }
    }

    @Test func aJSONSchemaFormatHoldsTheAnswerToTheSchema() async throws {
        try await withServer { client in
            let schema =
                #"{"type":"object","properties":{"name":{"type":"string","maxLength":20},"age":{"type":"integer"}},"required":["name","age"],"additionalProperties":false}"#
            let body = try object(
                try await post(
                    client, "/v1/responses",
                    #"{"model":"\#(TestModel.name)","input":"Invent a person.","max_output_tokens":60,"temperature":0,"text":{"format":{"type":"json_schema","name":"person","schema":\#(schema),"strict":true}}}"#
                ))
            #expect((body["text"] as? [String: Any])?["format"] as? [String: Any] != nil)
            let person = try #require(
                try JSONSerialization.jsonObject(with: Data(outputText(body).utf8)) as? [String: Any])
            #expect(person["name"] is String && person["age"] is Int)
        }
    }

    @Test func aFunctionCallAndItsOutputMakeARoundTrip() async throws {
        try await withServer { client in
            let tools =
                #"[{"type":"function","name":"get_weather","description":"Weather of a city","parameters":{"type":"object","properties":{"city":{"type":"string","maxLength":30}},"required":["city"]}}]"#
            let first = try object(
                try await post(
                    client, "/v1/responses",
                    #"{"model":"\#(TestModel.name)","input":"Weather in Oslo?","tools":\#(tools),"tool_choice":"required","max_output_tokens":60,"temperature":0}"#
                ))
            let call = try #require(
                (first["output"] as? [[String: Any]])?.first { $0["type"] as? String == "function_call" })
            #expect(call["name"] as? String == "get_weather")
            #expect((call["id"] as? String)?.hasPrefix("fc_") == true)
            let callID = try #require(call["call_id"] as? String)
            let arguments = try #require(call["arguments"] as? String)
            #expect(try JSONSerialization.jsonObject(with: Data(arguments.utf8)) is [String: Any])
            #expect((first["tools"] as? [[String: Any]])?.first?["name"] as? String == "get_weather")

            let second = try object(
                try await post(
                    client, "/v1/responses",
                    #"{"model":"\#(TestModel.name)","previous_response_id":"\#(first["id"] as? String ?? "")","tools":\#(tools),"input":[{"type":"function_call_output","call_id":"\#(callID)","output":"3 degrees and snow"}],"max_output_tokens":20,"temperature":0}"#
                ))
            #expect(second["status"] as? String != nil)
            #expect((second["output"] as? [[String: Any]])?.isEmpty == false)
            let seen = try #require((second["usage"] as? [String: Any])?["input_tokens"] as? Int)
            let before = try #require((first["usage"] as? [String: Any])?["input_tokens"] as? Int)
            #expect(seen > before)
        }
    }
}
