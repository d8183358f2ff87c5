import CRKLLM
import EngineSupport
import InferenceTypes

extension RKLLMHandle {
    /// Loads `adapter` with `rkllm_load_lora`, after `rkllm_init`; a failure names the adapter and carries the
    /// runtime's own message.
    func loadLora(_ adapter: RKLLMLoraAdapter, model: String) throws(InferenceError) {
        let start = MonotonicClock.now()
        let api = runtime.api
        let handle = self.handle
        // The runtime copies what it needs during the call: the strings need to live only as long as it.
        let status = adapter.path.withCString { path in
            adapter.name.withCString { name in
                var param = rkllm_lora_adapter(lora_adapter_path: path, lora_adapter_name: name, scale: adapter.scale)
                return api.loadLora(handle, &param)
            }
        }
        guard status == 0 else {
            let reason = RKLLMOutputTap.shared().lastError(since: start) ?? "rkllm_load_lora returned \(status)"
            throw .modelLoadFailed(
                model: model,
                reason: "LoRA adapter '\(adapter.name)' (\(PathNames.fileName(adapter.path))) did not load: \(reason)")
        }
    }

    /// Calls `body` with the LoRA parameter that picks the adapter `name`, or with `nil` for the base model.
    static func withLoraParam<Result>(
        _ name: String?, _ body: (UnsafeMutablePointer<rkllm_lora_param>?) -> Result
    ) -> Result {
        guard let name else { return body(nil) }
        return name.withCString { cName in
            var param = rkllm_lora_param(lora_adapter_name: cName)
            return withUnsafeMutablePointer(to: &param) { body($0) }
        }
    }
}
