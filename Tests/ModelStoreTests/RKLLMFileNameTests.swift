import EngineSupport
import InferenceTypes
import ModelStore
import Testing

@Suite struct RKLLMFileNameTests {
    @Test(
        arguments: [
            ("Qwen_Qwen3-0.6B-w8a8-opt0-hybrid0-npu3-ctx16384-rk3588.rkllm", "qwen3-0.6b", 16384, "rk3588", "w8a8"),
            ("gemma-3-1b-it_w8a8.rkllm", "gemma3-1b", 4096, nil, "w8a8"),
            (
                "google_gemma-3-270m-w8a8-opt0-hybrid0-npu3-ctx16384-rk3588.rkllm", "gemma3-270m", 16384, "rk3588",
                "w8a8"
            ),
            ("Qwen3-4B-rk3588-w8a8-opt-0-hybrid-ratio-0.0.rkllm", "qwen3-4b", 4096, "rk3588", "w8a8"),
            (
                "DeepSeek-R1-Distill-Qwen-1.5B_W8A8_RK3588.rkllm", "deepseek-r1-distill-qwen-1.5b", 4096, "rk3588",
                "w8a8"
            ),
            ("qwen2.5-vl-3b-w8a8_level1_rk3588.rkllm", "qwen2.5-vl-3b", 4096, "rk3588", "w8a8"),
            ("Qwen2.5-1.5B-Instruct_w4a16_g128_rk3576.rkllm", "qwen2.5-1.5b-instruct", 4096, "rk3576", "w4a16_g128"),
        ] as [(String, String, Int, String?, String?)])
    func readsTheFileName(file: String, name: String, context: Int, platform: String?, quantization: String?) {
        let parsed = RKLLMFileName(file)
        #expect(parsed.friendlyName == name)
        #expect(parsed.contextLength == context)
        #expect(parsed.platform == platform)
        #expect(parsed.quantization == quantization)
    }
}
