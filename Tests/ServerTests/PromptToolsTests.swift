import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import TestSupport
import Testing

/// SmolLM2 end to end through its own chat template, and llama-server's prompt utilities.
@Suite(.serialized) struct PromptToolsTests {
    static let chatML = """
        <|im_start|>system
        You are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>
        <|im_start|>user
        What is the capital of France?<|im_end|>
        <|im_start|>assistant

        """

    @Test func applyTemplateGivesTheChatMLOfSmolLM2sTemplate() async throws {
        try await withServer { client in
            let response = try await post(
                client, "/apply-template",
                #"{"messages":[{"role":"user","content":"What is the capital of France?"}]}"#)
            #expect(response.status == .ok)
            #expect(try object(response)["prompt"] as? String == Self.chatML)
        }
    }

    @Test(arguments: [ServerConfiguration.Isolation.none, .process])
    func tokenizeAndDetokenizeRoundTrip(isolation: ServerConfiguration.Isolation) async throws {
        try await withServer(isolation: isolation) { client in
            let text = "Hello world, 𝄞 and <|im_start|>"
            let tokenized = try object(
                try await post(
                    client, "/tokenize", #"{"model":"\#(TestModel.name)","content":"\#(text)"}"#))
            let tokens = try #require(tokenized["tokens"] as? [Int])
            #expect(tokens.count > 3)
            // The control-token text becomes one control token, as parse_special asks by default.
            let plain = try object(
                try await post(client, "/tokenize", #"{"content":"\#(text)","parse_special":false}"#))
            #expect(((plain["tokens"] as? [Int])?.count ?? 0) > tokens.count)
            let detokenized = try object(
                try await post(client, "/detokenize", #"{"tokens":\#(tokens)}"#))
            #expect(detokenized["content"] as? String == text)
            let pieces = try object(
                try await post(client, "/tokenize", #"{"content":"Hello world","with_pieces":true}"#))
            let entries = try #require(pieces["tokens"] as? [[String: Any]])
            #expect(entries.compactMap { $0["piece"] as? String }.joined() == "Hello world")
        }
    }

    @Test func aFollowUpTurnReusesTheCachedPrompt() async throws {
        try await withServer { client in
            let first = #"{"role":"user","content":"What is the capital of France?"}"#
            _ = try await post(
                client, "/v1/chat/completions",
                #"{"model":"\#(TestModel.name)","messages":[\#(first)],"max_tokens":4,"temperature":0}"#)
            let second = try object(
                try await post(
                    client, "/v1/chat/completions",
                    #"{"model":"\#(TestModel.name)","max_tokens":4,"temperature":0,"messages":[\#(first),{"role":"assistant","content":"Paris"},{"role":"user","content":"And of Spain?"}]}"#
                ))
            let usage = try #require(second["usage"] as? [String: Any])
            let cached = (usage["prompt_tokens_details"] as? [String: Any])?["cached_tokens"] as? Int ?? 0
            #expect(cached >= 20)
        }
    }

    @Test func thinkingIsRefusedForAModelThatCannotThink() async throws {
        try await withServer { client in
            let ollama = try await post(
                client, "/api/chat",
                #"{"model":"\#(TestModel.name)","think":true,"messages":[{"role":"user","content":"Hi"}]}"#)
            #expect(ollama.status == .badRequest)
            #expect((try object(ollama)["error"] as? String)?.contains("does not support thinking") == true)
            let openAI = try await post(
                client, "/v1/chat/completions",
                #"{"model":"\#(TestModel.name)","chat_template_kwargs":{"enable_thinking":true},"messages":[{"role":"user","content":"Hi"}]}"#
            )
            #expect(openAI.status == .badRequest)
        }
    }
}
