import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import TestSupport
import Testing

@testable import Server

/// Runtime 1.3.0's two-phase thinking through the dialects, on the simulator with the fault in the model file:
/// the client gets the reasoning and the answer split as on 1.2, and a phase 2 the runtime cut is `length`.
@Suite(.serialized) struct TwoPhaseThinkingServerTests {
    static let thinkText = #"<think>It is winter there.</think>Wear a coat, a hat and gloves."#

    private func withFaultyServer(
        layout: String, phase2Tokens: Int, _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        Simulator.prepare()
        let directory = try Simulator.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let header =
            #"RKLLMSIM1{"target_platform":"rk3588","max_context_limit":4096,"model_dtype":"w8a8","#
            + #""fault_two_phase_thinking":true,"phase2_tokens":\#(phase2Tokens)}"#
        try Data(header.utf8).write(
            to: URL(fileURLWithPath: "\(directory)/Qwen_Qwen3-0.6B-w8a8-opt0-hybrid0-npu3-ctx4096-rk3588.rkllm"))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let configuration = ServerConfiguration(
            host: "127.0.0.1", port: 0, modelsDirectory: directory, llamaLibraryPath: TestModel.libraryPath,
            rkllmLibraryPath: Simulator.libraryPath(layout), isolation: .forTests,
            runnerExecutable: TestModel.serverExecutable)
        try await buildApplication(configuration: configuration, logger: logger).test(.live, test)
    }

    @Test(arguments: Simulator.layouts)
    func openAIGetsTheWholeAnswerWithItsReasoning(layout: String) async throws {
        try await withFaultyServer(layout: layout, phase2Tokens: 40) { client in
            let response = try await post(
                client, "/v1/chat/completions",
                #"{"model":"qwen3-0.6b","reasoning_effort":"medium","messages":[{"role":"user","content":"[[echo]]\#(Self.thinkText)[[/echo]]"}]}"#
            )
            let body = try object(response)
            let choice = try #require((body["choices"] as? [[String: Any]])?.first)
            let message = try #require(choice["message"] as? [String: Any])
            #expect(message["reasoning_content"] as? String == "It is winter there.")
            #expect(
                (message["content"] as? String)?.trimmingCharacters(in: .whitespaces)
                    == "Wear a coat, a hat and gloves.")
            #expect(choice["finish_reason"] as? String == "stop")
        }
    }

    @Test(arguments: Simulator.layouts)
    func ollamaIsToldLengthWhenPhaseTwoWasCut(layout: String) async throws {
        try await withFaultyServer(layout: layout, phase2Tokens: 3) { client in
            let response = try await post(
                client, "/api/chat",
                #"{"model":"qwen3-0.6b","think":true,"stream":false,"messages":[{"role":"user","content":"[[echo]]\#(Self.thinkText)[[/echo]]"}]}"#
            )
            let body = try object(response)
            let message = try #require(body["message"] as? [String: Any])
            #expect(message["thinking"] as? String == "It is winter there.")
            #expect((message["content"] as? String)?.hasPrefix("Wear a c") == true)
            #expect(body["done_reason"] as? String == "length")
        }
    }
}
