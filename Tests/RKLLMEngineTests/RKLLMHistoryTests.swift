import InferenceCore
import InferenceTypes
import ModelStore
import RKLLMEngine
import TestSupport
import Testing

/// A run the engine stops early must not leave its tokens in the runtime's KV cache for the next request.
@Suite(.serialized) struct RKLLMHistoryTests {
    @Test(arguments: Simulator.layouts)
    func aRunStoppedAtTheTokenLimitLeavesNothingBehind(layout: String) async throws {
        Simulator.prepare()
        let directory = try Simulator.makeDirectory()
        try Simulator.writeModel(
            in: directory, fileName: "Qwen_Qwen3-0.6B-w8a8-opt0-hybrid0-npu3-ctx4096-rk3588.rkllm")
        let loader = RKLLMEngineLoader(options: .init(libraryPath: Simulator.libraryPath(layout)))
        let engine = try await loader.load(try #require(ModelRegistry(directory: directory).models().first))
        // About 1000 tokens a prompt in a 4096-token context: were the stopped runs' tokens kept, the fourth
        // request would no longer fit.
        let prompt = String(repeating: "many words ", count: 360)
        for _ in 0..<6 {
            let request = EngineRequest(input: .chat([ChatMessage(role: .user, content: prompt)]), maxTokens: 2)
            var tokens = 0
            for try await event in engine.generate(request) {
                if case .done(let summary) = event { tokens = summary.usage.completionTokens }
            }
            #expect(tokens == 2)
        }
        await engine.unload()
    }
}
