import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// The whole HTTP path on the RKLLM simulator, in both runtime layouts.
@Suite(.serialized) struct RKLLMServerTests {
    static let answer = "Grüße aus München — 𝄞 ✓"

    private func chat(_ content: String, extra: String = "") -> String {
        #"{"model":"qwen3-0.6b","messages":[{"role":"user","content":"\#(content)"}]\#(extra)}"#
    }

    @Test(arguments: Simulator.layouts)
    func listsTheModelUnderItsFriendlyName(layout: String) async throws {
        try await withSimulatorServer(layout: layout) { client in
            let body = try object(try await client.execute(uri: "/v1/models", method: .get))
            #expect((body["data"] as? [[String: Any]])?.map { $0["id"] as? String } == ["qwen3-0.6b"])
        }
    }

    @Test(arguments: Simulator.layouts)
    func answersWithoutStreaming(layout: String) async throws {
        try await withSimulatorServer(layout: layout) { client in
            let response = try await post(client, "/v1/chat/completions", chat("[[echo]]\(Self.answer)[[/echo]]"))
            #expect(response.status == .ok)
            let body = try object(response)
            let choice = try #require((body["choices"] as? [[String: Any]])?.first)
            #expect((choice["message"] as? [String: Any])?["content"] as? String == Self.answer)
            #expect(choice["finish_reason"] as? String == "stop")
            #expect(((body["usage"] as? [String: Any])?["prompt_tokens"] as? Int ?? 0) > 0)
        }
    }

    @Test(arguments: Simulator.layouts)
    func streamsWholeCharacters(layout: String) async throws {
        try await withSimulatorServer(layout: layout) { client in
            let response = try await post(
                client, "/v1/chat/completions",
                chat(
                    "[[echo]]\(Self.answer)[[/echo]]", extra: #","stream":true,"stream_options":{"include_usage":true}"#
                ))
            let payloads = events(response)
            #expect(payloads.last == "[DONE]")
            let chunks = try payloads.dropLast().map(object)
            let deltas = chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any] }
            let pieces = deltas.compactMap { $0["content"] as? String }
            #expect(pieces.joined() == Self.answer)
            #expect(pieces.allSatisfy { !$0.unicodeScalars.contains("\u{FFFD}") })
            #expect(((chunks.last?["usage"] as? [String: Any])?["completion_tokens"] as? Int ?? 0) > 0)
        }
    }

    @Test(arguments: Simulator.layouts)
    func maxTokensAndStopStrings(layout: String) async throws {
        try await withSimulatorServer(layout: layout) { client in
            let limited = try object(
                try await post(client, "/v1/chat/completions", chat("Hi", extra: #","max_tokens":4"#)))
            let limitedChoice = try #require((limited["choices"] as? [[String: Any]])?.first)
            #expect(limitedChoice["finish_reason"] as? String == "length")
            #expect((limitedChoice["message"] as? [String: Any])?["content"] as? String == "The quick brown fox ")
            #expect((limited["usage"] as? [String: Any])?["completion_tokens"] as? Int == 4)

            let stopped = try object(
                try await post(
                    client, "/v1/chat/completions",
                    chat("[[echo]]one two END three[[/echo]]", extra: #","stop":["END"],"stream":false"#)))
            let stoppedChoice = try #require((stopped["choices"] as? [[String: Any]])?.first)
            #expect((stoppedChoice["message"] as? [String: Any])?["content"] as? String == "one two ")
            #expect(stoppedChoice["finish_reason"] as? String == "stop")
        }
    }

    @Test(arguments: Simulator.layouts)
    func aModelThatCannotLoadIsAnErrorNamingTheCauseAndTheServerStaysUp(layout: String) async throws {
        let models = [
            ("Qwen_Qwen3-0.6B-w8a8-opt0-hybrid0-npu3-ctx4096-rk3588.rkllm", "rk3588"),
            ("gemma-3-1b-it_w8a8_rk3576.rkllm", "rk3576"),
        ]
        try await withSimulatorServer(layout: layout, models: models) { client in
            let failed = try await post(
                client, "/v1/chat/completions",
                #"{"model":"gemma3-1b","messages":[{"role":"user","content":"Hi"}]}"#)
            #expect(failed.status == .internalServerError)
            let message = try #require(try openAIError(failed)["message"] as? String)
            #expect(message.contains("gemma3-1b") && message.contains("target_platform"), "\(message)")
            let fine = try await post(client, "/v1/chat/completions", chat("[[echo]]still here[[/echo]]"))
            #expect(fine.status == .ok)
        }
    }

    @Test(arguments: Simulator.layouts)
    func embeddingsAreABadRequestNamingTheModel(layout: String) async throws {
        try await withSimulatorServer(layout: layout) { client in
            let response = try await post(client, "/v1/embeddings", #"{"model":"qwen3-0.6b","input":"Hello"}"#)
            #expect(response.status == .badRequest)
            let error = try openAIError(response)
            #expect(error["message"] as? String == "model 'qwen3-0.6b' does not support embeddings")
            #expect(error["type"] as? String == "invalid_request_error")
        }
    }
}
