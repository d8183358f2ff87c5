import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// `num_ctx` on the real model: a prompt that does not fit the loaded context fits once a request asks for a
/// larger one (the model reloads), the same or a smaller one does not reload it, and a prompt past the
/// model's trained length is a 400 naming the numbers.
@Suite("num_ctx on SmolLM2", .serialized)
struct ContextLengthServerTests {
    /// A chat request of about `words` tokens.
    private func chat(words: Int, numCtx: Int?, endpoint: String = "chat") -> String {
        let text = Array(repeating: "apple", count: words).joined(separator: " ")
        let extra = numCtx.map { #", "num_ctx": \#($0)"# } ?? ""
        return endpoint == "chat"
            ? #"{"model": "smollm2-135m-instruct:latest", "max_tokens": 1, "messages": [{"role": "user", "content": "\#(text)"}]\#(extra)}"#
            : #"{"model": "smollm2-135m-instruct:latest", "max_tokens": 1, "prompt": "\#(text)"\#(extra)}"#
    }

    /// The loaded model's context and load time, from `GET /v1/models/loaded`.
    private func loaded(_ client: any TestClientProtocol) async throws -> (context: Int, loadMs: Double)? {
        let response = try await client.execute(uri: "/v1/models/loaded", method: .get)
        let models = try #require(try object(response)["data"] as? [[String: Any]])
        guard let model = models.first else { return nil }
        return (try #require(model["context_length"] as? Int), try #require(model["load_ms"] as? Double))
    }

    @Test("a prompt that overflows 512 fits after num_ctx 2048; the same or less does not reload")
    func growsAndStays() async throws {
        try await withServer(contextLength: 512) { client in
            let overflow = try await post(client, "/v1/chat/completions", chat(words: 560, numCtx: nil))
            #expect(overflow.status == .badRequest)
            #expect((try openAIError(overflow)["message"] as? String)?.contains("512") == true)

            let grown = try await post(client, "/v1/chat/completions", chat(words: 560, numCtx: 2048))
            #expect(grown.status == .ok, "\(String(buffer: grown.body))")
            let ps = try object(try await client.execute(uri: "/api/ps", method: .get))
            let running = try #require((ps["models"] as? [[String: Any]])?.first)
            #expect(running["context_length"] as? Int == 2048)
            let first = try #require(try await loaded(client))
            #expect(first.context == 2048)

            for (numCtx, endpoint) in [(2048, "chat"), (1024, "chat"), (512, "completions")] {
                let uri = endpoint == "chat" ? "/v1/chat/completions" : "/v1/completions"
                // The same conversation reuses the slot's cached prompt; the completion is a short one.
                let words = endpoint == "chat" ? 560 : 3
                let again = try await post(client, uri, chat(words: words, numCtx: numCtx, endpoint: endpoint))
                #expect(again.status == .ok, "\(numCtx) \(String(buffer: again.body))")
            }
            let after = try #require(try await loaded(client))
            #expect(after.context == 2048 && after.loadMs == first.loadMs)
        }
    }

    @Test("a prompt past the trained length is a 400 naming the numbers; a bad num_ctx is a 400")
    func pastTheTrainedLength() async throws {
        try await withServer(contextLength: 512) { client in
            let available = try object(try await client.execute(uri: "/v1/models/available", method: .get))
            let model = try #require((available["data"] as? [[String: Any]])?.first)
            let trained = try #require(model["context_length"] as? Int)
            let response = try await post(
                client, "/v1/chat/completions", chat(words: trained + 200, numCtx: trained * 2))
            #expect(response.status == .badRequest)
            let message = try #require(try openAIError(response)["message"] as? String)
            #expect(message.contains("\(trained)"), "\(message)")
            #expect(try await loaded(client)?.context == trained)

            let invalid = try await post(client, "/v1/completions", chat(words: 3, numCtx: 0, endpoint: "completions"))
            #expect(invalid.status == .badRequest)
            #expect(try openAIError(invalid)["param"] as? String == "num_ctx")
        }
    }

    @Test("an assistant tool call's arguments may be a JSON object")
    func objectArguments() async throws {
        try await withServer { client in
            let body = #"""
                {"model": "SmolLM2-135M-Instruct", "max_tokens": 2, "messages": [
                  {"role": "user", "content": "Weather in Paris?"},
                  {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
                    "function": {"name": "get_weather", "arguments": {"city": "Paris", "unit": "c"}}}]},
                  {"role": "tool", "tool_call_id": "call_1", "content": "21 C"}]}
                """#
            let response = try await post(client, "/v1/chat/completions", body)
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            let rendered = try await post(
                client, "/v1/chat/completions",
                body.replacingOccurrences(of: #"{"city": "Paris", "unit": "c"}"#, with: "[1, 2]"))
            #expect(rendered.status == .badRequest)
        }
    }
}
