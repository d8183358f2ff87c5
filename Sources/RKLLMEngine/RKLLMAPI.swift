import CRKLLM
import EngineSupport
import InferenceTypes

/// The functions of librkllmrt.so that the engine calls, looked up once when the library is opened.
/// `rkllm_init` has a different signature in each layout; the engine casts `initSymbol` to the one of the
/// detected layout only.
struct RKLLMAPI: Sendable {
    // Resolved once by dlsym; only ever cast to the init type of the detected layout.
    nonisolated(unsafe) let initSymbol: UnsafeMutableRawPointer
    let createDefaultParam: rkllm_create_default_param_probe_fn
    let run: rkllm_run_fn
    let abort: rkllm_handle_fn
    let destroy: rkllm_handle_fn
    let setChatTemplate: rkllm_set_chat_template_fn
    let clearKVCache: rkllm_clear_kv_cache_fn
    let setFunctionTools: rkllm_set_function_tools_fn
    let loadPromptCache: rkllm_load_prompt_cache_fn
    let releasePromptCache: rkllm_handle_fn
    let loadLora: rkllm_load_lora_fn

    init(_ library: DynamicLibrary) throws(DynamicLibrary.LoadError) {
        initSymbol = try library.function("rkllm_init", as: UnsafeMutableRawPointer.self)
        createDefaultParam = try library.function("rkllm_createDefaultParam")
        run = try library.function("rkllm_run")
        abort = try library.function("rkllm_abort")
        destroy = try library.function("rkllm_destroy")
        setChatTemplate = try library.function("rkllm_set_chat_template")
        clearKVCache = try library.function("rkllm_clear_kv_cache")
        setFunctionTools = try library.function("rkllm_set_function_tools")
        loadPromptCache = try library.function("rkllm_load_prompt_cache")
        releasePromptCache = try library.function("rkllm_release_prompt_cache")
        loadLora = try library.function("rkllm_load_lora")
    }

    var init12: rkllm12_init_fn { unsafeBitCast(initSymbol, to: rkllm12_init_fn.self) }
    var init13: rkllm13_init_fn { unsafeBitCast(initSymbol, to: rkllm13_init_fn.self) }
}
