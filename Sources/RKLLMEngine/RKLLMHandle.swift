import CRKLLM
import Dispatch
import EngineSupport
import Glibc
import InferenceTypes

/// Owns one `LLMHandle`: initialises it in the detected layout, runs prompts on it, destroys it once.
///
/// Used only on the engine's model thread, except `abort`, which the runtime allows from any thread.
final class RKLLMHandle {
    let runtime: RKLLMRuntime
    let handle: rkllm_handle_t
    private let modelPath: UnsafeMutablePointer<CChar>
    // 1.3 keeps a pointer to the callback table: it lives as long as the handle.
    private let callbackTable: UnsafeMutablePointer<rkllm13_callback>
    // 1.2 may keep the image tags given at init: they live as long as the handle.
    private let imageTags: [UnsafeMutablePointer<CChar>]
    private var appliedTemplate: (String, String, String)?
    /// The system prompt and tools JSON last given to `rkllm_set_function_tools`; `nil` while it is off.
    private var appliedTools: (system: String, tools: String)?
    private var destroyed = false
    /// The prompt-cache file the runtime has loaded, if any.
    var loadedPromptCache: String?

    /// Initialises the model; a failure carries the runtime's own message.
    init(runtime: RKLLMRuntime, configuration: RKLLMModelConfiguration) throws(InferenceError) {
        let modelPath = strdup(configuration.path)!
        let callbackTable = UnsafeMutablePointer<rkllm13_callback>.allocate(capacity: 1)
        callbackTable.initialize(
            to: rkllm13_callback(
                result_callback: rkllmResultCallback, result_userdata: nil, tokenizer_callback: nil,
                tokenizer_userdata: nil, embed_callback: nil, embed_userdata: nil))
        let tap = RKLLMOutputTap.shared()
        let start = MonotonicClock.now()
        var handle: rkllm_handle_t?
        let status: Int32
        let api = runtime.api
        var probe = api.createDefaultParam()
        let imageTags = runtime.abi == .v1_2 ? Self.imageTags(of: configuration) : []
        switch runtime.abi {
        case .v1_2:
            status = withUnsafeMutableBytes(of: &probe) { raw in
                raw.baseAddress!.withMemoryRebound(to: rkllm12_param.self, capacity: 1) { param in
                    Self.configure12(&param.pointee, configuration, modelPath: modelPath)
                    Self.configureImageTags(&param.pointee, imageTags)
                    return api.init12(&handle, param, rkllmResultCallback)
                }
            }
        case .v1_3:
            status = withUnsafeMutableBytes(of: &probe) { raw in
                raw.baseAddress!.withMemoryRebound(to: rkllm13_param.self, capacity: 1) { param in
                    Self.configure13(&param.pointee, configuration, modelPath: modelPath)
                    return api.init13(&handle, param, callbackTable)
                }
            }
        }
        guard status == 0, let handle else {
            free(modelPath)
            callbackTable.deallocate()
            for tag in imageTags { tag.deallocate() }
            let reason = tap.lastError(since: start) ?? "rkllm_init returned \(status)"
            throw .modelLoadFailed(model: configuration.name, reason: reason)
        }
        self.runtime = runtime
        self.handle = handle
        self.modelPath = modelPath
        self.callbackTable = callbackTable
        self.imageTags = imageTags
    }

    deinit {
        _ = destroy(timeout: 10)
    }

    private static func configure12(
        _ param: inout rkllm12_param, _ configuration: RKLLMModelConfiguration, modelPath: UnsafeMutablePointer<CChar>
    ) {
        param.model_path = UnsafePointer(modelPath)
        param.max_context_len = Int32(configuration.contextLength)
        param.max_new_tokens = Int32(configuration.maxNewTokens)
        param.n_keep = configuration.keep
        param.skip_special_token = true
        param.is_async = false
        let sampling = configuration.sampling
        if let value = sampling.temperature { param.temperature = Float(value) }
        if let value = sampling.topK { param.top_k = Int32(value) }
        if let value = sampling.topP { param.top_p = Float(value) }
        if let value = sampling.repeatPenalty { param.repeat_penalty = Float(value) }
        if let value = sampling.frequencyPenalty { param.frequency_penalty = Float(value) }
        if let value = sampling.presencePenalty { param.presence_penalty = Float(value) }
        configureExtend(&param.extend_param, configuration)
    }

    private static func configure13(
        _ param: inout rkllm13_param, _ configuration: RKLLMModelConfiguration, modelPath: UnsafeMutablePointer<CChar>
    ) {
        param.model_path = UnsafePointer(modelPath)
        param.max_context_len = Int32(configuration.contextLength)
        param.max_new_tokens = Int32(configuration.maxNewTokens)
        param.n_keep = configuration.keep
        param.skip_special_token = true
        param.is_async = false
        configureExtend(&param.extend_param, configuration)
    }

    private static func configureExtend(_ extend: inout rkllm_extend_param, _ configuration: RKLLMModelConfiguration) {
        extend.base_domain_id = configuration.baseDomainID
        extend.embed_flash = configuration.embedFlash ? 1 : 0
        extend.enabled_cpus_num = configuration.cpuCount
        extend.enabled_cpus_mask = configuration.cpuMask
        extend.n_batch = UInt8(configuration.batchSize)
    }

    /// Sets the template pieces, unless they are the ones already applied.
    func applyTemplate(system: String, prefix: String, postfix: String) {
        if let applied = appliedTemplate, applied == (system, prefix, postfix) { return }
        _ = runtime.api.setChatTemplate(handle, system, prefix, postfix)
        appliedTemplate = (system, prefix, postfix)
    }

    /// Turns function calling on with these tools (a JSON array) and system prompt, or off with `nil`,
    /// unless that is how it is already.
    func applyTools(_ tools: (system: String, tools: String)?) {
        switch (tools, appliedTools) {
        case (nil, nil):
            return
        case (let wanted?, let applied?) where wanted == applied:
            return
        case (let wanted?, _):
            _ = runtime.api.setFunctionTools(handle, wanted.system, wanted.tools, Self.toolResponseTag)
        case (nil, _?):
            _ = runtime.api.setFunctionTools(handle, nil, nil, Self.toolResponseTag)
        }
        appliedTools = tools
    }

    /// The tag the runtime wraps tool results in, as Qwen's templates write them.
    static let toolResponseTag = "tool_response"

    /// Runs one batch of prompts (`n_batch` of them, one per batch element) to its end; callbacks arrive on
    /// this thread with `userdata`. The runtime takes one infer parameter for the whole batch. With
    /// `savingPromptCacheTo` the runtime writes the prefill of the (first) input to that file; with `lora` the
    /// whole batch runs with that loaded adapter. With `multimodal` the first input is a multimodal one, its text
    /// holding one image marker per image. `mode` is the infer mode (`RKLLM_INFER_GENERATE`, or a tensor mode,
    /// `RKLLMTensorMode`).
    func run(
        inputs: [RKLLMInputText], maxNewTokens: Int, sampling: SamplingOptions, userdata: UnsafeMutableRawPointer,
        savingPromptCacheTo cachePath: String? = nil, lora: String? = nil, multimodal: RKLLMMultimodalInput? = nil,
        mode: Int32 = RKLLM_INFER_GENERATE
    ) -> Int32 {
        Self.withPromptCacheParam(cachePath) { cacheParam in
            Self.withLoraParam(lora) { loraParam in
                // The embeddings and tags it owns are read by the runtime during the whole run.
                withExtendedLifetime(multimodal) {
                    run(
                        inputs: inputs, maxNewTokens: maxNewTokens, sampling: sampling, userdata: userdata,
                        cache: cacheParam, lora: loraParam, multimodal: multimodal, mode: mode)
                }
            }
        }
    }

    private func run(
        inputs: [RKLLMInputText], maxNewTokens: Int, sampling: SamplingOptions, userdata: UnsafeMutableRawPointer,
        cache: UnsafeMutablePointer<rkllm_prompt_cache_param>?, lora: UnsafeMutablePointer<rkllm_lora_param>?,
        multimodal: RKLLMMultimodalInput?, mode: Int32
    ) -> Int32 {
        let api = runtime.api
        let handle = self.handle
        // The strings outlive the call: the runtime reads them while it prefills.
        let prompts = inputs.map { strdup($0.text)! }
        let roles = inputs.map { strdup($0.role)! }
        defer {
            for pointer in prompts + roles { free(pointer) }
        }
        switch runtime.abi {
        case .v1_2:
            var batch = inputs.indices.map { index in
                var input = rkllm12_input()
                input.role = UnsafePointer(roles[index])
                input.enable_thinking = inputs[index].thinking
                input.input_type = RKLLM_INPUT_PROMPT
                input.prompt_input = UnsafePointer(prompts[index])
                if index == 0, let multimodal { Self.makeMultimodal(&input, prompt: prompts[index], multimodal) }
                return input
            }
            var infer = rkllm12_infer_param()
            infer.mode = mode
            infer.lora_params = lora
            infer.prompt_cache_params = cache
            infer.keep_history = 0
            return batch.withUnsafeMutableBufferPointer { api.run(handle, $0.baseAddress, &infer, userdata) }
        case .v1_3:
            var batch = inputs.indices.map { index in
                var input = rkllm13_input()
                input.role = UnsafePointer(roles[index])
                input.enable_thinking = inputs[index].thinking
                input.input_type = RKLLM_INPUT_PROMPT
                input.prompt_input = UnsafePointer(prompts[index])
                if index == 0, let multimodal { Self.makeMultimodal(&input, prompt: prompts[index], multimodal) }
                return input
            }
            var samplingParam = Self.sampling13(sampling)
            return withUnsafeMutablePointer(to: &samplingParam) { samplingPointer in
                var infer = rkllm13_infer_param()
                infer.mode = mode
                infer.lora_params = lora
                infer.prompt_cache_params = cache
                infer.sampling_params = samplingPointer
                infer.keep_history = 0
                infer.max_new_tokens = Int32(clamping: maxNewTokens)
                return batch.withUnsafeMutableBufferPointer { api.run(handle, $0.baseAddress, &infer, userdata) }
            }
        }
    }

    /// Calls `body` with the prompt-cache parameter that saves to `path`, or with `nil` without one.
    private static func withPromptCacheParam<Result>(
        _ path: String?, _ body: (UnsafeMutablePointer<rkllm_prompt_cache_param>?) -> Result
    ) -> Result {
        guard let path else { return body(nil) }
        return path.withCString { cPath in
            var param = rkllm_prompt_cache_param(save_prompt_cache: 1, prompt_cache_path: cPath)
            return withUnsafeMutablePointer(to: &param) { body($0) }
        }
    }

    /// 1.3's per-run sampling. Temperature 0 asks for greedy decoding, which top-k 1 guarantees.
    private static func sampling13(_ options: SamplingOptions) -> rkllm13_sampling_param {
        let temperature = options.temperature ?? 0.8
        return rkllm13_sampling_param(
            top_k: temperature <= 0 ? 1 : Int32(options.topK ?? 40), top_p: Float(options.topP ?? 0.9),
            temperature: Float(max(temperature, 0.01)), repeat_penalty: Float(options.repeatPenalty ?? 1.1),
            frequency_penalty: Float(options.frequencyPenalty ?? 0),
            presence_penalty: Float(options.presencePenalty ?? 0),
            mirostat: 0, mirostat_tau: 5, mirostat_eta: 0.1)
    }

    /// Empties the KV cache. A run the engine paused (a stop string, the token limit) or aborted keeps its
    /// prompt and answer in the cache even with `keep_history` 0; left there, they would leak into the next
    /// request and fill the context.
    func clearHistory() {
        _ = runtime.api.clearKVCache(handle, 0, nil, nil)
    }

    /// Asks the running generation to stop; safe from any thread.
    func abort() {
        _ = runtime.api.abort(handle)
    }

    /// Destroys the handle, waiting at most `timeout` seconds: `rkllm_destroy` is known to hang, and a
    /// hung destroy must not hang the server. Returns whether it finished in time.
    func destroy(timeout: Double) -> Bool {
        guard !destroyed else { return true }
        destroyed = true
        let done = DispatchSemaphore(value: 0)
        let api = runtime.api
        let handle = UnsafeSendableHandle(handle)
        let modelPath = UnsafeSendableHandle(UnsafeMutableRawPointer(self.modelPath))
        let callbackTable = UnsafeSendableHandle(UnsafeMutableRawPointer(self.callbackTable))
        let imageTags = self.imageTags.map { UnsafeSendableHandle(UnsafeMutableRawPointer($0)) }
        DispatchQueue.global().async {
            _ = api.destroy(handle.pointer)
            free(modelPath.pointer)
            callbackTable.pointer.deallocate()
            for tag in imageTags { tag.pointer.deallocate() }
            done.signal()
        }
        return done.wait(timeout: .now() + .milliseconds(Int(timeout * 1000))) == .success
    }
}

/// A C pointer handed to the thread that destroys the handle, which is then its only user.
struct UnsafeSendableHandle: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    init(_ pointer: UnsafeMutableRawPointer) { self.pointer = pointer }
}
