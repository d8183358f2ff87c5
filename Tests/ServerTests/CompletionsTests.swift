import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@Suite(.serialized) struct CompletionsTests {
    @Test func completesAPromptAndStopsBeforeTheStopString() async throws {
        try await withServer { client in
            let full = try object(
                try await post(
                    client, "/v1/completions",
                    #"{"model":"\#(TestModel.name)","prompt":"1, 2, 3,","max_tokens":24,"temperature":0}"#))
            #expect(full["object"] as? String == "text_completion")
            let fullText = try #require((full["choices"] as? [[String: Any]])?.first?["text"] as? String)
            #expect(fullText.contains(" 6,"))

            let stopped = try object(
                try await post(
                    client, "/v1/completions",
                    #"{"model":"\#(TestModel.name)","prompt":"1, 2, 3,","max_tokens":24,"temperature":0,"stop":" 6,"}"#)
            )
            let choice = try #require((stopped["choices"] as? [[String: Any]])?.first)
            let text = try #require(choice["text"] as? String)
            #expect(choice["finish_reason"] as? String == "stop")
            #expect(!text.contains("6"))
            #expect(fullText.hasPrefix(text))
        }
    }

    @Test func defaultsToSixteenTokensLikeOpenAI() async throws {
        try await withServer { client in
            let body = try object(
                try await post(
                    client, "/v1/completions", #"{"model":"\#(TestModel.name)","prompt":"Once upon a time"}"#))
            let usage = try #require(body["usage"] as? [String: Any])
            #expect(usage["completion_tokens"] as? Int ?? 0 <= 16)
        }
    }

    @Test func streamsTextCompletionChunks() async throws {
        try await withServer { client in
            let response = try await post(
                client, "/v1/completions",
                #"{"model":"\#(TestModel.name)","prompt":"1, 2, 3,","max_tokens":6,"temperature":0,"stream":true,"stream_options":{"include_usage":true}}"#
            )
            let payloads = events(response)
            #expect(payloads.last == "[DONE]")
            let chunks = try payloads.dropLast().map(object)
            #expect(chunks.allSatisfy { $0["object"] as? String == "text_completion" })
            let last = try #require(chunks.last)
            #expect((last["choices"] as? [Any])?.isEmpty == true)
            #expect((last["usage"] as? [String: Any])?["completion_tokens"] as? Int == 6)
            let text = chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first?["text"] as? String }.joined()
            #expect(text.contains("4"))
        }
    }
}
