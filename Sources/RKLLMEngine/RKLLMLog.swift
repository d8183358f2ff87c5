import Logging

/// The RKLLM engine's logger: what the runtime's faults and the NPU driver look like, under the label the
/// executable's logging system gives it.
enum RKLLMLog {
    static let logger = Logger(label: "rockchip-llama.rkllm")

    /// Phase 2 of a two-phase thinking ended without the model's EOS.
    static func secondPhaseCut(completionTokens: Int) {
        logger.warning(
            """
            RKLLM runtime 1.3.0 ended the answer after the reasoning without an end-of-sequence token (its \
            two-phase thinking fault): the answer may be cut short; finish reason 'length'
            """, metadata: ["gen.completion_tokens": "\(completionTokens)"])
    }
}
