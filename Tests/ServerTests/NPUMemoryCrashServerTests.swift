import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import TestSupport
import Testing

@testable import Server

/// Runtime 1.3.0's second `rkllm_init` that segfaults when NPU memory is exhausted (rknn-llm #522), through the
/// simulator's init-OOM fault: with models in runner processes the server survives it, and the client's error
/// names NPU memory and the model that holds it.
@Suite(.serialized) struct NPUMemoryCrashServerTests {
    static let first = "Qwen_Qwen3-0.6B-w8a8-opt0-hybrid0-npu3-ctx4096-rk3588.rkllm"
    static let second = "Qwen_Qwen3-1.7B-w8a8-opt0-hybrid0-npu3-ctx4096-rk3588.rkllm"

    private static func chat(_ model: String) -> String {
        #"{"model":"\#(model)","max_tokens":20,"messages":[{"role":"user","content":"[[echo]]Hi there.[[/echo]]"}]}"#
    }

    @Test(arguments: Simulator.layouts)
    func aSecondModelThatCrashesTheRuntimeIsAnErrorNamingNPUMemoryAndTheFirstModel(layout: String) async throws {
        Simulator.prepare()
        let directory = try Simulator.makeDirectory()
        let ledger = try Simulator.makeDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(atPath: ledger)
        }
        // The fault is in the model files, so that no other suite's model meets it.
        for name in [Self.first, Self.second] {
            let header =
                #"RKLLMSIM1{"target_platform":"rk3588","max_context_limit":4096,"model_dtype":"w8a8","#
                + #""fault_init_oom":2,"npu_ledger":"\#(ledger)"}"#
            try Data(header.utf8).write(to: URL(fileURLWithPath: "\(directory)/\(name)"))
        }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let configuration = ServerConfiguration(
            host: "127.0.0.1", port: 0, modelsDirectory: directory, llamaLibraryPath: TestModel.libraryPath,
            rkllmLibraryPath: Simulator.libraryPath(layout), isolation: .process,
            runnerExecutable: TestModel.serverExecutable, maxLoadedModels: 3)
        let app = try buildApplication(configuration: configuration, logger: logger)
        try await app.test(.live) { client in
            let ok = try await post(client, "/v1/chat/completions", Self.chat("qwen3-0.6b"))
            #expect(ok.status == .ok)
            // The first model's runner holds its place in the simulated NPU.
            #expect(try FileManager.default.contentsOfDirectory(atPath: ledger).count == 1)

            let crashed = try await post(client, "/v1/chat/completions", Self.chat("qwen3-1.7b"))
            #expect(crashed.status.code >= 500)
            let message = String(buffer: crashed.body)
            #expect(message.contains("rkllm_init (SIGSEGV)"), "\(message)")
            #expect(message.contains("NPU memory"), "\(message)")
            #expect(message.contains("models loaded now: qwen3-0.6b"), "\(message)")

            // The first model's runner is untouched and keeps answering.
            let again = try await post(client, "/v1/chat/completions", Self.chat("qwen3-0.6b"))
            #expect(again.status == .ok)
            #expect(String(buffer: again.body).contains("Hi there."))
        }
    }
}
