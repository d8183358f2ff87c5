import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@Suite(.serialized) struct ErrorResponseTests {
    @Test func badRequestsAreA400NamingTheField() async throws {
        try await withServer { client in
            let cases: [(body: String, param: String?)] = [
                ("{not json", nil),
                ("", nil),
                (#"{"model":"\#(TestModel.name)"}"#, "messages"),
                (#"{"model":"\#(TestModel.name)","messages":"hi"}"#, "messages"),
                (#"{"model":"\#(TestModel.name)","messages":[]}"#, "messages"),
                (
                    #"{"model":"\#(TestModel.name)","messages":[{"role":"user","content":"x"}],"temperature":"hot"}"#,
                    "temperature"
                ),
                (
                    #"{"model":"\#(TestModel.name)","messages":[{"role":"user","content":"x"}],"temperature":7}"#,
                    "temperature"
                ),
                (#"{"model":"\#(TestModel.name)","messages":[{"role":"user","content":"x"}],"n":2}"#, "n"),
                (
                    #"{"model":"\#(TestModel.name)","messages":[{"role":"user","content":"x"}],"max_tokens":0}"#,
                    "max_tokens"
                ),
                (#"{"model":"\#(TestModel.name)","messages":[{"role":"wizard","content":"x"}]}"#, "messages[0].role"),
            ]
            for (body, param) in cases {
                let response = try await post(client, "/v1/chat/completions", body)
                #expect(response.status == .badRequest, "\(body)")
                let error = try openAIError(response)
                #expect(error["type"] as? String == "invalid_request_error", "\(body)")
                if let param { #expect(error["param"] as? String == param, "\(body)") }
            }
        }
    }

    @Test func anUnknownModelIsA404() async throws {
        try await withServer { client in
            let response = try await post(
                client, "/v1/chat/completions", #"{"model":"no-such-model","messages":[{"role":"user","content":"x"}]}"#
            )
            #expect(response.status == .notFound)
            let error = try openAIError(response)
            #expect(error["code"] as? String == "model_not_found")
            #expect((error["message"] as? String)?.contains("no-such-model") == true)
            let model = try await client.execute(uri: "/v1/models/library/no:such", method: .get)
            #expect(model.status == .notFound)
            #expect((try openAIError(model)["message"] as? String)?.contains("library/no:such") == true)
        }
    }

    @Test func aBodyOverTheLimitIsA413() async throws {
        try await withServer(maxBodyBytes: 1024) { client in
            let big = String(repeating: "x", count: 4096)
            let response = try await post(
                client, "/v1/chat/completions",
                #"{"model":"\#(TestModel.name)","messages":[{"role":"user","content":"\#(big)"}]}"#)
            #expect(response.status == .contentTooLarge)
            _ = try openAIError(response)
        }
    }

    @Test func anUnknownRouteIsAJSON404() async throws {
        try await withServer { client in
            let response = try await client.execute(uri: "/v1/nothing-here", method: .get)
            #expect(response.status == .notFound)
            _ = try openAIError(response)
        }
    }
}
