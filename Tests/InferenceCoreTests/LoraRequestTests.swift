import InferenceCore
import InferenceTypes
import TestSupport
import Testing

/// The core's LoRA rules for models whose engine has no adapters (a GGUF model here).
@Suite struct LoraRequestTests {
    @Test func anAdapterOnALlamaCppModelIsRefusedBeforeTheModelLoads() async throws {
        let core = try ScriptedCore()
        var request = ScriptedCore.chat()
        request.lora = "pirate"
        await #expect {
            _ = try await core.service.generate(request, keepAlive: nil)
        } throws: { error in
            guard case .invalidRequest(let message) = error as? InferenceError else { return false }
            return message == "LoRA adapters are served on RKLLM models only"
        }
        #expect(core.loader.loads == 0)
    }

    @Test func noAdapterIsTheBaseModelAndShowsNoAdapters() async throws {
        let core = try ScriptedCore()
        let collected = try await core.service.generate(ScriptedCore.chat(), keepAlive: nil).collect()
        #expect(collected.summary.finishReason == .stop)
        let model = try core.service.model(named: "alpha")
        #expect(await core.service.loraAdapters(of: model) == [])
    }
}
