/*
 * rkllm_sim.c — the RKLLM simulator: a librkllmrt.so look-alike that exports
 * the runtime's C ABI (layout 1.2.1–1.2.3 or 1.3.x, see rkllm_sim_abi.h) and
 * behaves deterministically, so the Swift RKLLM engine can be tested without
 * a Rockchip board. This file holds the API entry points of the handle's life
 * cycle; sim_handle.c the handle itself, sim_model.c the model file and init
 * checks, sim_template.c the chat template, sim_run.c / sim_generate.c /
 * sim_output.c the runs, sim_cache.c the prompt and KV caches, sim_util.c
 * clock, stderr and the event log.
 *
 * THE CONTRACT
 *  1 Defaults (rkllm_createDefaultParam): the struct is zeroed, then model_path
 *    NULL, max_context_len 4096, max_new_tokens 4096, top_k 40, n_keep 0,
 *    top_p 0.9, temperature 0.8, repeat_penalty 1.1, frequency/presence 0,
 *    mirostat 0, tau 5.0, eta 0.1, skip_special_token true, is_async false,
 *    (1.3) ignore_eos_token false, (1.2) img_* NULL; extend_param: cpus_num 4,
 *    n_batch 1, everything else (mask, reserved...) 0.
 *  2 Model file: "RKLLMSIM1" + a flat JSON object with target_platform (string),
 *    max_context_limit (integer), model_dtype (string); optional filler
 *    (string), embedding_size (1536), vocab_size (151936), yes_token (9693),
 *    no_token (2152) (integers, tokens < vocab_size;
 *    items 13 and 15). rkllm_init fails (-1, one "E RKLLM: ..." line on stderr) for:
 *    env RKLLM_SIM_NO_DRIVER=1 (checked first), a missing/unreadable file, an
 *    invalid file, target_platform != env RKLLM_SIM_PLATFORM (default rk3588,
 *    case-insensitive), max_context_len > max_context_limit (max_context_len
 *    <= 0 means the limit). Success prints "I RKLLM: rkllm-runtime version: ...".
 *  3 Prompt = [system part] + prefix + body + postfix (+ "<think>\n\n</think>\n\n"
 *    when enable_thinking is false and rkllm_set_chat_template was never called
 *    with a non-NULL argument). Qwen-style defaults (sim_template.c). The system
 *    part is put in only when the KV cache of that batch element is empty.
 *    Role "tool" wraps the prompt in <TAG>\n...\n</TAG> (TAG from
 *    rkllm_set_function_tools, default tool_response); a NULL role is "user".
 *    rkllm_set_function_tools(h, sys, tools, tag) makes the system part
 *    "<|im_start|>system\n" sys "\n\n# Tools\n" tools "<|im_end|>\n"; tools NULL
 *    turns that off. Only RKLLM_INPUT_PROMPT and RKLLM_INPUT_MULTIMODAL (13) are
 *    supported, in the modes RKLLM_INFER_GENERATE, GET_LAST_HIDDEN_LAYER and
 *    GET_LOGITS (15); anything else is an error (ERROR callback, -1).
 *  4 A prompt token is 4 bytes of assembled text (ceil). The answer is the text
 *    between the LAST "[[echo]]" of the raw prompt and the next "[[/echo]]"
 *    (when the raw prompt ends with "</think>" after it: the echo's text after
 *    its own first "</think>" and white space, a continued reasoning)
 *    (3-byte tokens; a slice ending inside a UTF-8 character is a WAITING
 *    token whose text is its bytes, held back; the next token is NORMAL, ends
 *    on a character boundary and its text = held-back bytes + its own bytes:
 *    consumers append NORMAL text and ignore WAITING text), then generation
 *    ends as at EOS. Without echo: the filler's words ("The quick brown fox
 *    jumps over the lazy dog. " by default), "word " per token, until
 *    max_new_tokens (1.3: RKLLMInferParam.max_new_tokens if > 0, else the init
 *    value; <= 0 everywhere = until the context is full). Generation also stops
 *    quietly when the KV cache reaches max_context_len. token_id = 0, 1, 2, ...
 *    within a run. Every callback, WAITING or NORMAL, is one generated token.
 *  5 Timing: RKLLM_SIM_PREFILL_US_PER_TOKEN (1560) per prefilled token, then
 *    RKLLM_SIM_DECODE_US_PER_TOKEN (30300) before each token but the first (which
 *    comes from the prefill, as in a real model); sleeps of <= 2 ms
 *    on CLOCK_MONOTONIC, checking the abort flag in between. n_batch > 1: the
 *    prefill is the sum of every element's; one decode step with k unfinished
 *    elements costs RKLLM_SIM_DECODE_US_PER_TOKEN x (1 + (k-1) x f), f from
 *    RKLLM_SIM_BATCH_FACTOR (default 0.15; a non-negative decimal, anything
 *    else is the default): NPU decode is bound by the weights' bandwidth, which
 *    the batch shares. Timing and crash variables are read once, at rkllm_init.
 *  6 Callbacks run on rkllm_run's thread. Last comes one RKLLM_RUN_FINISH:
 *    text NULL, token_id -1, perf = {prefill ms and tokens actually prefilled,
 *    generate ms (wall time of the decode phase) and tokens, 791.0 MB}. After
 *    rkllm_abort or a callback returning 1 (pause: stop now, KV kept even with
 *    keep_history 0), FINISH still comes and rkllm_run returns 0. Errors: ERROR
 *    callback (text NULL, token_id -1), then -1; for a KV size + prompt tokens
 *    (cached ones included, they occupy the KV) > max_context_len also
 *    "E RKLLM: the input has N tokens, which exceeds the max context length M"
 *    with N = KV size + prompt tokens. A second rkllm_run on a handle that is
 *    running returns -1 at once, without callbacks. NULL infer params = defaults.
 *  7 keep_history 0: the KV is emptied at the end of the run (unless paused);
 *    1: it keeps prompt + answer. rkllm_get_kv_cache_size writes n_batch ints;
 *    rkllm_clear_kv_cache(h, keep_sys, NULL, NULL) empties it (keeping the
 *    system part's tokens if keep_sys), with ranges [start[i], end[i]) removes
 *    those.
 *  8 Prompt cache: save_prompt_cache=1 writes "RKLLMSIMCACHE1\n" + batch element
 *    0's assembled prompt to the path (default ./prompt_cache.bin) once prefill
 *    completed. rkllm_load_prompt_cache loads one; a run into an empty KV whose
 *    assembled text starts with the cached text skips ceil(cached bytes/4)
 *    tokens of prefill.
 *  9 n_batch > 1: inputs/results are arrays of n_batch; each step one callback;
 *    a finished element has token_id -1, text NULL. The step's state is WAITING
 *    only if every active element's token is WAITING; in a NORMAL step a WAITING
 *    element's text is "" (its bytes come with its next NORMAL token).
 * 10 rkllm_abort: any thread, atomic, cleared when a run starts. rkllm_is_running:
 *    1.3 → 1 while running, else 0; 1.2 → as its header says, 0 while running,
 *    else 1. rkllm_destroy: sleeps $RKLLM_SIM_DESTROY_HANG_MS ms (read at that
 *    moment) if set, aborts and waits for a run in progress, frees.
 *    rkllm_load_lora loads an adapter file and a run's lora_params picks it
 *    (sim_lora.c); rkllm_run_async = rkllm_run;
 *    rkllm_set_cross_attn_params returns 0.
 *    While a run is in progress, the calls that change what a run reads
 *    (set_chat_template, set_function_tools, load/release_prompt_cache,
 *    clear_kv_cache) print an error and return -1.
 * 11 RKLLM_SIM_CRASH_AFTER_TOKENS=N: raise(SIGSEGV) right after the callback of
 *    a run's N-th generated token returned (N=0: right after prefill), even if
 *    the answer would end there.
 * 12 RKLLM_SIM_EVENT_LOG=<file>: one line per event, appended with a single
 *    write() (init, run — one line per batch element, logged once the run's
 *    checks passed —, finish, abort, destroy, clear_kv_cache, set_chat_template,
 *    set_function_tools, load_prompt_cache, release_prompt_cache,
 *    save_prompt_cache, load_lora, multimodal).
 * 13 RKLLM_INPUT_MULTIMODAL (sim_multimodal.c): the prompt's "<image>" markers
 *    must number n_image (else ERROR callback, -1, an "E RKLLM:" line); each
 *    becomes image_start + image_end in the assembled text, plus n_image_tokens
 *    prompt tokens. Tags: RKLLMParam.img_* (1.2, copied at init) or the input's
 *    image block (1.3). Event "multimodal n_image=.. n_image_tokens=..
 *    image_width=.. image_height=.. image_start=.. image_end=.. image_content=..".
 *    A raw prompt containing "[[vision]]" is answered (as an echo) with
 *    "vision images=N image_tokens=T start=S end=E colours=#rrggbb,..." (per
 *    image, channel c = round(255 x mean of embedding column c over its rows);
 *    rows of the model file's "embedding_size" floats, default 1536).
 * 14 Runtime 1.3.0's faults (sim_faults.c describes each): real token ids and
 *    an EOS token (model key real_token_ids, eos_token_id), the #534 wrong EOS
 *    (RKLLM_SIM_FAULT_WRONG_EOS), two-phase thinking
 *    (RKLLM_SIM_FAULT_TWO_PHASE_THINKING, RKLLM_SIM_PHASE2_TOKENS), the
 *    segfaulting second init (RKLLM_SIM_FAULT_INIT_OOM, RKLLM_SIM_NPU_LEDGER).
 *    Read at rkllm_init, from the environment or the model file's keys. With
 *    none of them, token ids are 0, 1, 2, ... as item 4 says.
 * 15 GET_LAST_HIDDEN_LAYER / GET_LOGITS (sim_infer_modes.c): the prefill of
 *    a generation, then one NORMAL callback (text NULL, token_id -1) whose
 *    last_hidden_layer holds num_tokens = prompt tokens rows of embedding_size
 *    floats, row t a function of tokens 0...t; or whose logits hold the
 *    last token's vocab_size floats, softmax over {yes_token, no_token} giving
 *    the scripted score ("[[score=P]]", else the query words found in the
 *    "<Document>: ", else 0.5); freed when the callback returns. Then FINISH
 *    (generate_tokens 0); keep_history as in 7.
 */
#define _POSIX_C_SOURCE 200809L

#include "sim_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SIM_API RKLLM_SIM_EXPORT

SIM_API RKLLMParam rkllm_createDefaultParam(void) {
    RKLLMParam param;
    memset(&param, 0, sizeof param); /* padding and reserved bytes included */
    param.max_context_len = 4096;
    param.max_new_tokens = 4096;
    param.top_k = 40;
    param.top_p = 0.9f;
    param.temperature = 0.8f;
    param.repeat_penalty = 1.1f;
    param.mirostat_tau = 5.0f;
    param.mirostat_eta = 0.1f;
    param.skip_special_token = true;
    param.extend_param.enabled_cpus_num = 4;
    param.extend_param.n_batch = 1;
    return param;
}

static void log_init_ok(const SimHandle *sim) {
    const RKLLMParam *p = &sim->param;
    const RKLLMExtendParam *x = &p->extend_param;
    char platform[64];
    const char *env_platform = getenv("RKLLM_SIM_PLATFORM");
    snprintf(platform, sizeof platform, "%s", env_platform && *env_platform ? env_platform : "rk3588");
    for (char *c = platform; *c; c++)
        if (*c >= 'a' && *c <= 'z') *c = (char)(*c - 'a' + 'A');
    sim_log_info("rkllm-runtime version: %s, rknpu driver version: 0.9.8, platform: %s",
                 SIM_RUNTIME_VERSION, platform);
    sim_event("init ok abi=%d max_context_len=%d max_new_tokens=%d top_k=%d temperature=%.2f "
              "n_keep=%d n_batch=%d cpus_mask=0x%02x cpus_num=%d embed_flash=%d "
              "base_domain_id=%d skip_special_token=%d",
              RKLLM_SIM_ABI, p->max_context_len, p->max_new_tokens, p->top_k, (double)p->temperature,
              p->n_keep, sim->n_batch, (unsigned)x->enabled_cpus_mask, x->enabled_cpus_num,
              x->embed_flash, x->base_domain_id, p->skip_special_token ? 1 : 0);
}

/* rkllm_init's third argument: RKLLMCallback* in 1.3, the function pointer in 1.2. */
#if RKLLM_SIM_ABI == 13
typedef RKLLMCallback *SimInitCallback;
#else
typedef LLMResultCallback SimInitCallback;
#endif

SIM_API int rkllm_init(LLMHandle *handle, RKLLMParam *param, SimInitCallback callback) {
    if (handle) *handle = NULL;
    if (!handle || !param) {
        sim_log_error("invalid argument: handle and param must not be NULL");
        sim_event("init fail reason=model");
        return -1;
    }
    SimModel model = {0};
    int max_context_len = 0;
    const char *failure = sim_model_check_init(param, &model, &max_context_len);
    SimHandle *sim = failure ? NULL : sim_handle_new(param, &model, max_context_len);
    sim_model_free(&model);
    if (!sim) {
        if (!failure) sim_log_error("out of memory");
        sim_event("init fail reason=%s", failure ? failure : "model");
        return -1;
    }
#if RKLLM_SIM_ABI == 13
    sim->callback = callback ? callback->result_callback : NULL;
    sim->callback_userdata = callback ? callback->result_userdata : NULL;
#else
    sim->callback = callback;
#endif
    sim_faults_claim_npu(sim); /* RKLLM_SIM_FAULT_INIT_OOM: may raise SIGSEGV */
    log_init_ok(sim);
    *handle = sim;
    return 0;
}

SIM_API int rkllm_destroy(LLMHandle handle) {
    SimHandle *sim = sim_handle_from(handle);
    if (!sim) return -1;
    long long hang_ms = sim_env_int("RKLLM_SIM_DESTROY_HANG_MS", 0);
    if (hang_ms > 0) {
        struct timespec pause = {.tv_sec = hang_ms / 1000, .tv_nsec = (hang_ms % 1000) * 1000000L};
        nanosleep(&pause, NULL);
    }
    /* A run still in progress on another thread is stopped before freeing. */
    atomic_store(&sim->abort_requested, true);
    while (atomic_load(&sim->running)) {
        struct timespec pause = {.tv_sec = 0, .tv_nsec = 1000000L};
        nanosleep(&pause, NULL);
    }
    sim_event("destroy");
    sim_handle_free(sim);
    return 0;
}

SIM_API int rkllm_abort(LLMHandle handle) {
    SimHandle *sim = sim_handle_from(handle);
    if (!sim) return -1;
    atomic_store(&sim->abort_requested, true);
    sim_event("abort");
    return 0;
}

SIM_API int rkllm_is_running(LLMHandle handle) {
    SimHandle *sim = sim_handle_from(handle);
    if (!sim) return -1;
    bool running = atomic_load(&sim->running);
#if RKLLM_SIM_ABI == 13
    return running ? 1 : 0;
#else
    return running ? 0 : 1; /* the 1.2 header: "0 if a task is running" */
#endif
}

SIM_API int rkllm_set_cross_attn_params(LLMHandle handle, RKLLMCrossAttnParam *cross_attn_params) {
    (void)cross_attn_params;
    return sim_handle_from(handle) ? 0 : -1;
}
