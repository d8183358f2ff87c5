import Logging
import Synchronization

/// The RKLLM engine's logger: what the runtime's faults and the NPU driver look like, under the label the
/// executable's logging system gives it.
enum RKLLMLog {
    static let logger = Logger(label: "rockchip-llama.rkllm")
    private static let runtimeLogged = Atomic<Bool>(false)

    /// The runtime's own version line (which names its rknpu driver too), once per process: at the first model
    /// this process initialised.
    static func runtimeStarted(version: String, driver: NPUDriverProbe = NPUDriverProbe()) {
        guard !runtimeLogged.exchange(true, ordering: .relaxed) else { return }
        logger.info("RKLLM runtime initialised: \(version)")
        for line in driver.report() {
            if line.warning { logger.warning("\(line.text)") } else { logger.info("\(line.text)") }
        }
    }

    /// Phase 2 of a two-phase thinking ended without the model's EOS.
    static func secondPhaseCut(completionTokens: Int) {
        logger.warning(
            """
            RKLLM runtime 1.3.0 ended the answer after the reasoning without an end-of-sequence token (its \
            two-phase thinking fault): the answer may be cut short; finish reason 'length'
            """, metadata: ["gen.completion_tokens": "\(completionTokens)"])
    }
}
