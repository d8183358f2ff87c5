import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@Suite(.serialized) struct ChatCompletionsTests {
    static let question =
        #"[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"What is the capital of France?"}]"#

    @Test func answersWithoutStreaming() async throws {
        try await withServer { client in
            let response = try await post(
                client, "/v1/chat/completions",
                #"{"model":"\#(TestModel.name)","messages":\#(Self.question),"max_tokens":30,"temperature":0}"#)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let body = try object(response)
            #expect(body["object"] as? String == "chat.completion")
            #expect((body["id"] as? String)?.hasPrefix("chatcmpl-") == true)
            #expect(body["model"] as? String == TestModel.name)
            let choice = try #require((body["choices"] as? [[String: Any]])?.first)
            let message = try #require(choice["message"] as? [String: Any])
            #expect(message["role"] as? String == "assistant")
            #expect((message["content"] as? String)?.contains("Paris") == true)
            #expect(choice["finish_reason"] as? String == "stop")
            let usage = try #require(body["usage"] as? [String: Any])
            let prompt = try #require(usage["prompt_tokens"] as? Int)
            let completion = try #require(usage["completion_tokens"] as? Int)
            #expect(prompt > 5 && completion > 0)
            #expect(usage["total_tokens"] as? Int == prompt + completion)
        }
    }

    @Test func streamsServerSentEventsThatAddUpToTheSameAnswer() async throws {
        try await withServer { client in
            let base = #""model":"\#(TestModel.name)","messages":\#(Self.question),"max_tokens":30,"temperature":0"#
            let whole = try object(try await post(client, "/v1/chat/completions", "{\(base)}"))
            let expected = try #require(
                ((whole["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])?["content"] as? String)

            let response = try await post(
                client, "/v1/chat/completions", #"{\#(base),"stream":true,"stream_options":{"include_usage":true}}"#)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/event-stream")
            let payloads = events(response)
            #expect(payloads.last == "[DONE]")
            let chunks = try payloads.dropLast().map(object)
            #expect(Set(chunks.compactMap { $0["id"] as? String }).count == 1)
            #expect(Set(chunks.compactMap { $0["created"] as? Int }).count == 1)
            #expect(chunks.allSatisfy { $0["object"] as? String == "chat.completion.chunk" })

            let first = try #require((chunks.first?["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any])
            #expect(first["role"] as? String == "assistant")
            var text = ""
            for chunk in chunks.dropLast() {
                #expect(chunk.keys.contains("usage") && chunk["usage"] is NSNull)
                let delta = (chunk["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any]
                text += delta?["content"] as? String ?? ""
            }
            #expect(text == expected)
            let closing = try #require((chunks[chunks.count - 2]["choices"] as? [[String: Any]])?.first)
            #expect(closing["finish_reason"] as? String == "stop")
            let usageChunk = try #require(chunks.last)
            #expect((usageChunk["choices"] as? [Any])?.isEmpty == true)
            let usage = try #require(usageChunk["usage"] as? [String: Any])
            #expect(
                usage["completion_tokens"] as? Int == (whole["usage"] as? [String: Any])?["completion_tokens"] as? Int)
        }
    }

    @Test func withoutIncludeUsageNoUsageChunkIsSent() async throws {
        try await withServer { client in
            let response = try await post(
                client, "/v1/chat/completions",
                #"{"model":"\#(TestModel.name)","messages":\#(Self.question),"max_tokens":5,"stream":true}"#)
            let chunks = try events(response).dropLast().map(object)
            #expect(chunks.allSatisfy { !$0.keys.contains("usage") })
            #expect(chunks.allSatisfy { ($0["choices"] as? [Any])?.count == 1 })
        }
    }

    @Test func maxTokensAndItsNewNameEndWithLength() async throws {
        try await withServer { client in
            for field in ["max_tokens", "max_completion_tokens"] {
                let response = try await post(
                    client, "/v1/chat/completions",
                    #"{"model":"\#(TestModel.name)","messages":[{"role":"user","content":"Tell me a story."}],"\#(field)":3}"#
                )
                let body = try object(response)
                #expect((body["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String == "length")
                #expect((body["usage"] as? [String: Any])?["completion_tokens"] as? Int == 3)
            }
        }
    }

    @Test func greedyAnswersAreReproducible() async throws {
        try await withServer { client in
            let body =
                #"{"model":"\#(TestModel.name)","messages":[{"role":"user","content":"Describe a cat."}],"max_tokens":20,"temperature":0}"#
            let first = try await post(client, "/v1/chat/completions", body)
            let second = try await post(client, "/v1/chat/completions", body)
            func content(_ response: TestResponse) throws -> String? {
                ((try object(response)["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])?["content"]
                    as? String
            }
            #expect(try content(first) == content(second))
        }
    }

    @Test func acceptsDeveloperRoleTextPartsAndUnknownFields() async throws {
        try await withServer { client in
            let response = try await post(
                client, "/v1/chat/completions",
                #"""
                {"model":"\#(TestModel.name)","max_tokens":3,"store":false,"metadata":{"a":"b"},"user":"u",
                 "messages":[{"role":"developer","content":"Be brief."},
                             {"role":"user","content":[{"type":"text","text":"Hi "},{"type":"text","text":"there"}]}]}
                """#)
            #expect(response.status == .ok)
        }
    }

    @Test func aPromptTooLongForTheContextIsA400EvenWhenStreaming() async throws {
        try await withServer(contextLength: 128) { client in
            let long = String(repeating: "word ", count: 300)
            for stream in [false, true] {
                let response = try await post(
                    client, "/v1/chat/completions",
                    #"{"model":"\#(TestModel.name)","stream":\#(stream),"messages":[{"role":"user","content":"\#(long)"}]}"#
                )
                #expect(response.status == .badRequest)
                #expect(try openAIError(response)["type"] as? String == "exceed_context_size_error")
            }
        }
    }
}
