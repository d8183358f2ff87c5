import CRKLLM
import InferenceTypes

extension RKLLMHandle {
    /// Runs `text` alone, as the whole input (an empty chat template, no tools, no prompt cache), in a tensor
    /// mode, padded to `width` batch elements with `padding`; the KV cache is emptied afterwards. Returns
    /// `rkllm_run`'s status and what the callback read.
    func runTensors(_ text: String, mode: RKLLMTensorMode, width: Int, padding: RKLLMInputText)
        -> (status: Int32, reader: RKLLMTensorReader)
    {
        applyTools(nil)
        applyTemplate(system: "", prefix: "", postfix: "")
        releasePromptCache()
        let reader = RKLLMTensorReader(mode: mode)
        let input = RKLLMInputText(text: text, role: "user", thinking: false)
        let status = withExtendedLifetime(reader) {
            run(
                inputs: [input] + Array(repeating: padding, count: max(0, width - 1)), maxNewTokens: 1,
                sampling: SamplingOptions(), userdata: Unmanaged.passUnretained(reader).toOpaque(),
                mode: mode.inferMode)
        }
        clearHistory()
        return (status, reader)
    }
}
