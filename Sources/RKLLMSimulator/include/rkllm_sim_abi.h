/*
 * rkllm_sim_abi.h — this project's own C declarations of the RKLLM runtime ABI
 * (librkllmrt.so), written from the facts in docs (type names, field order,
 * sizes and offsets on LP64). Two layouts, chosen at compile time:
 *
 *   -DRKLLM_SIM_ABI=12   runtime 1.2.1 – 1.2.3
 *   -DRKLLM_SIM_ABI=13   runtime 1.3.x
 *
 * Plain C11; the _Static_asserts at the end pin every size and key offset,
 * so a mistake here fails the build instead of corrupting a caller's memory.
 */
#ifndef RKLLM_SIM_ABI_H
#define RKLLM_SIM_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if !defined(RKLLM_SIM_ABI)
#error "define RKLLM_SIM_ABI as 12 (runtime 1.2.1-1.2.3) or 13 (runtime 1.3.x)"
#elif RKLLM_SIM_ABI != 12 && RKLLM_SIM_ABI != 13
#error "RKLLM_SIM_ABI must be 12 or 13"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Bits of RKLLMExtendParam.enabled_cpus_mask. */
#define CPU0 (1 << 0)
#define CPU1 (1 << 1)
#define CPU2 (1 << 2)
#define CPU3 (1 << 3)
#define CPU4 (1 << 4)
#define CPU5 (1 << 5)
#define CPU6 (1 << 6)
#define CPU7 (1 << 7)

typedef void *LLMHandle;

/* All enums are 4 bytes, as in the runtime. */
typedef enum {
    RKLLM_RUN_NORMAL = 0,
    RKLLM_RUN_WAITING = 1, /* token text is an incomplete UTF-8 sequence */
    RKLLM_RUN_FINISH = 2,
    RKLLM_RUN_ERROR = 3,
} LLMCallState;

typedef enum {
    RKLLM_INPUT_PROMPT = 0,
    RKLLM_INPUT_TOKEN = 1,
    RKLLM_INPUT_EMBED = 2,
    RKLLM_INPUT_MULTIMODAL = 3,
} RKLLMInputType;

typedef enum {
    RKLLM_INFER_GENERATE = 0,
    RKLLM_INFER_GET_LAST_HIDDEN_LAYER = 1,
    RKLLM_INFER_GET_LOGITS = 2,
} RKLLMInferMode;

/* Identical in 1.2.1+ and 1.3: 120 bytes, 4-byte aligned. */
typedef struct {
    int32_t base_domain_id;
    int8_t embed_flash;
    int8_t enabled_cpus_num;
    uint32_t enabled_cpus_mask;
    uint8_t n_batch;
    int8_t use_cross_attn;
    uint8_t reserved[104];
} RKLLMExtendParam;

typedef struct {
    const char *model_path;
    int32_t max_context_len;
    int32_t max_new_tokens;
    int32_t top_k;
    int32_t n_keep;
    float top_p;
    float temperature;
    float repeat_penalty;
    float frequency_penalty;
    float presence_penalty;
    int32_t mirostat;
    float mirostat_tau;
    float mirostat_eta;
    bool skip_special_token;
#if RKLLM_SIM_ABI == 13
    bool ignore_eos_token;
    bool is_async;
#else
    bool is_async;
    const char *img_start;
    const char *img_end;
    const char *img_content;
#endif
    RKLLMExtendParam extend_param;
} RKLLMParam;

typedef struct {
    const char *lora_adapter_path;
    const char *lora_adapter_name;
    float scale;
} RKLLMLoraAdapter;

typedef struct {
    float *embed;
    size_t n_tokens;
} RKLLMEmbedInput;

typedef struct {
    int32_t *input_ids;
    size_t n_tokens;
} RKLLMTokenInput;

#if RKLLM_SIM_ABI == 13
typedef struct {
    char *prompt;
    struct {
        float *image_embed;
        size_t n_image_tokens;
        size_t n_image;
        const char *image_start;
        const char *image_end;
        const char *image_content;
        size_t image_width;
        size_t image_height;
    } image;
    struct {
        float *video_embed;
        size_t n_frame_tokens;
        size_t n_frame_per_video;
        size_t n_video;
        const char *video_start;
        const char *video_end;
        const char *video_content;
        size_t frame_width;
        size_t frame_height;
    } video;
} RKLLMMultiModalInput;
#else
typedef struct {
    char *prompt;
    float *image_embed;
    size_t n_image_tokens;
    size_t n_image;
    size_t image_width;
    size_t image_height;
} RKLLMMultiModalInput;
#endif

typedef struct {
    const char *role; /* "user" or "tool" */
    bool enable_thinking;
    RKLLMInputType input_type;
    union {
        const char *prompt_input;
        RKLLMEmbedInput embed_input;
        RKLLMTokenInput token_input;
        RKLLMMultiModalInput multimodal_input;
    };
} RKLLMInput;

typedef struct {
    const char *lora_adapter_name;
} RKLLMLoraParam;

typedef struct {
    int save_prompt_cache;
    const char *prompt_cache_path;
} RKLLMPromptCacheParam;

typedef struct {
    float *encoder_k_cache;
    float *encoder_v_cache;
    float *encoder_mask;
    int32_t *encoder_pos;
    int num_tokens;
} RKLLMCrossAttnParam;

#if RKLLM_SIM_ABI == 13
typedef struct {
    int32_t top_k;
    float top_p;
    float temperature;
    float repeat_penalty;
    float frequency_penalty;
    float presence_penalty;
    int32_t mirostat;
    float mirostat_tau;
    float mirostat_eta;
} RKLLMSamplingParam;
#endif

typedef struct {
    RKLLMInferMode mode;
    RKLLMLoraParam *lora_params;
    RKLLMPromptCacheParam *prompt_cache_params;
#if RKLLM_SIM_ABI == 13
    RKLLMSamplingParam *sampling_params; /* non-NULL overrides the init sampling values */
    int keep_history;
    int32_t max_new_tokens; /* <= 0: use the init value */
#else
    int keep_history;
#endif
} RKLLMInferParam;

typedef struct {
    const float *hidden_states;
    int embd_size;
    int num_tokens;
} RKLLMResultLastHiddenLayer;

typedef struct {
    const float *logits;
    int vocab_size;
    int num_tokens;
} RKLLMResultLogits;

typedef struct {
    float prefill_time_ms;
    int prefill_tokens;
    float generate_time_ms;
    int generate_tokens;
    float memory_usage_mb;
} RKLLMPerfStat;

typedef struct {
    const char *text;
    int32_t token_id;
    RKLLMResultLastHiddenLayer last_hidden_layer;
    RKLLMResultLogits logits;
    RKLLMPerfStat perf; /* embedded, filled at RKLLM_RUN_FINISH */
} RKLLMResult;

/* Returns 0 to continue, 1 to pause (stop now, keep the KV cache); 1.3 also 2. */
typedef int (*LLMResultCallback)(RKLLMResult *result, void *userdata, LLMCallState state);

#if RKLLM_SIM_ABI == 13
typedef int (*LLMTokenizerCallback)(void *userdata, const char *text, int32_t text_len,
                                    int32_t *tokens, int32_t n_tokens_max);
typedef int (*LLMGetEmbedCallback)(void *userdata, int32_t *tokens, uint64_t num_tokens,
                                   void *embed, uint64_t len);

typedef struct {
    LLMResultCallback result_callback;
    void *result_userdata;
    LLMTokenizerCallback tokenizer_callback;
    void *tokenizer_userdata;
    LLMGetEmbedCallback embed_callback;
    void *embed_userdata;
} RKLLMCallback;
#endif

/* ---- Exported functions (every other symbol of the simulator is hidden). ---- */
#define RKLLM_SIM_EXPORT __attribute__((visibility("default")))

RKLLM_SIM_EXPORT RKLLMParam rkllm_createDefaultParam(void);
#if RKLLM_SIM_ABI == 13
RKLLM_SIM_EXPORT int rkllm_init(LLMHandle *handle, RKLLMParam *param, RKLLMCallback *callback);
#else
RKLLM_SIM_EXPORT int rkllm_init(LLMHandle *handle, RKLLMParam *param, LLMResultCallback callback);
#endif
RKLLM_SIM_EXPORT int rkllm_load_lora(LLMHandle handle, RKLLMLoraAdapter *lora_adapter);
RKLLM_SIM_EXPORT int rkllm_load_prompt_cache(LLMHandle handle, const char *prompt_cache_path);
RKLLM_SIM_EXPORT int rkllm_release_prompt_cache(LLMHandle handle);
RKLLM_SIM_EXPORT int rkllm_destroy(LLMHandle handle);
RKLLM_SIM_EXPORT int rkllm_run(LLMHandle handle, RKLLMInput *rkllm_input,
                               RKLLMInferParam *rkllm_infer_params, void *userdata);
RKLLM_SIM_EXPORT int rkllm_run_async(LLMHandle handle, RKLLMInput *rkllm_input,
                                     RKLLMInferParam *rkllm_infer_params, void *userdata);
RKLLM_SIM_EXPORT int rkllm_abort(LLMHandle handle);
RKLLM_SIM_EXPORT int rkllm_is_running(LLMHandle handle);
RKLLM_SIM_EXPORT int rkllm_clear_kv_cache(LLMHandle handle, int keep_system_prompt, int *start_pos,
                                          int *end_pos);
RKLLM_SIM_EXPORT int rkllm_get_kv_cache_size(LLMHandle handle, int *cache_sizes);
RKLLM_SIM_EXPORT int rkllm_set_chat_template(LLMHandle handle, const char *system_prompt,
                                             const char *prompt_prefix, const char *prompt_postfix);
RKLLM_SIM_EXPORT int rkllm_set_function_tools(LLMHandle handle, const char *system_prompt,
                                              const char *tools, const char *tool_response_str);
RKLLM_SIM_EXPORT int rkllm_set_cross_attn_params(LLMHandle handle,
                                                 RKLLMCrossAttnParam *cross_attn_params);

/* ---- Layout checks (LP64: x86_64 and aarch64 agree). ---- */
#if defined(__LP64__) || defined(_LP64)
_Static_assert(sizeof(LLMCallState) == 4, "enums are 4 bytes");
_Static_assert(sizeof(RKLLMExtendParam) == 120, "RKLLMExtendParam size");
_Static_assert(offsetof(RKLLMExtendParam, enabled_cpus_mask) == 8, "enabled_cpus_mask offset");
_Static_assert(offsetof(RKLLMExtendParam, n_batch) == 12, "n_batch offset");
_Static_assert(offsetof(RKLLMExtendParam, use_cross_attn) == 13, "use_cross_attn offset");
_Static_assert(offsetof(RKLLMExtendParam, reserved) == 14, "reserved offset");
_Static_assert(offsetof(RKLLMParam, max_context_len) == 8, "max_context_len offset");
_Static_assert(offsetof(RKLLMParam, n_keep) == 20, "n_keep offset");
_Static_assert(offsetof(RKLLMParam, top_p) == 24, "top_p offset");
_Static_assert(offsetof(RKLLMParam, mirostat_eta) == 52, "mirostat_eta offset");
_Static_assert(offsetof(RKLLMParam, skip_special_token) == 56, "skip_special_token offset");
_Static_assert(sizeof(RKLLMLoraAdapter) == 24, "RKLLMLoraAdapter size");
_Static_assert(sizeof(RKLLMPromptCacheParam) == 16, "RKLLMPromptCacheParam size");
_Static_assert(sizeof(RKLLMCrossAttnParam) == 40, "RKLLMCrossAttnParam size");
_Static_assert(offsetof(RKLLMInput, enable_thinking) == 8, "enable_thinking offset");
_Static_assert(offsetof(RKLLMInput, input_type) == 12, "input_type offset");
_Static_assert(offsetof(RKLLMInput, prompt_input) == 16, "input union offset");
_Static_assert(sizeof(RKLLMPerfStat) == 20, "RKLLMPerfStat size");
_Static_assert(sizeof(RKLLMResult) == 72, "RKLLMResult size");
_Static_assert(offsetof(RKLLMResult, token_id) == 8, "token_id offset");
_Static_assert(offsetof(RKLLMResult, last_hidden_layer) == 16, "last_hidden_layer offset");
_Static_assert(offsetof(RKLLMResult, logits) == 32, "logits offset");
_Static_assert(offsetof(RKLLMResult, perf) == 48, "perf offset");
_Static_assert(offsetof(RKLLMInferParam, lora_params) == 8, "lora_params offset");
_Static_assert(offsetof(RKLLMInferParam, prompt_cache_params) == 16, "prompt_cache_params offset");
#if RKLLM_SIM_ABI == 13
_Static_assert(sizeof(RKLLMParam) == 184, "1.3 RKLLMParam size");
_Static_assert(offsetof(RKLLMParam, ignore_eos_token) == 57, "1.3 ignore_eos_token offset");
_Static_assert(offsetof(RKLLMParam, is_async) == 58, "1.3 is_async offset");
_Static_assert(offsetof(RKLLMParam, extend_param) == 60, "1.3 extend_param offset");
_Static_assert(sizeof(RKLLMMultiModalInput) == 144, "1.3 RKLLMMultiModalInput size");
_Static_assert(offsetof(RKLLMMultiModalInput, video) == 72, "1.3 video offset");
_Static_assert(sizeof(RKLLMInput) == 160, "1.3 RKLLMInput size");
_Static_assert(sizeof(RKLLMSamplingParam) == 36, "1.3 RKLLMSamplingParam size");
_Static_assert(offsetof(RKLLMSamplingParam, mirostat_eta) == 32, "1.3 mirostat_eta offset");
_Static_assert(sizeof(RKLLMInferParam) == 40, "1.3 RKLLMInferParam size");
_Static_assert(offsetof(RKLLMInferParam, sampling_params) == 24, "1.3 sampling_params offset");
_Static_assert(offsetof(RKLLMInferParam, keep_history) == 32, "1.3 keep_history offset");
_Static_assert(offsetof(RKLLMInferParam, max_new_tokens) == 36, "1.3 max_new_tokens offset");
_Static_assert(sizeof(RKLLMCallback) == 48, "1.3 RKLLMCallback size");
_Static_assert(offsetof(RKLLMCallback, result_userdata) == 8, "1.3 result_userdata offset");
#else
_Static_assert(sizeof(RKLLMParam) == 208, "1.2 RKLLMParam size");
_Static_assert(offsetof(RKLLMParam, is_async) == 57, "1.2 is_async offset");
_Static_assert(offsetof(RKLLMParam, img_start) == 64, "1.2 img_start offset");
_Static_assert(offsetof(RKLLMParam, img_end) == 72, "1.2 img_end offset");
_Static_assert(offsetof(RKLLMParam, img_content) == 80, "1.2 img_content offset");
_Static_assert(offsetof(RKLLMParam, extend_param) == 88, "1.2 extend_param offset");
_Static_assert(sizeof(RKLLMMultiModalInput) == 48, "1.2 RKLLMMultiModalInput size");
_Static_assert(sizeof(RKLLMInput) == 64, "1.2 RKLLMInput size");
_Static_assert(sizeof(RKLLMInferParam) == 32, "1.2 RKLLMInferParam size");
_Static_assert(offsetof(RKLLMInferParam, keep_history) == 24, "1.2 keep_history offset");
#endif
#endif /* LP64 */

#ifdef __cplusplus
}
#endif

#endif /* RKLLM_SIM_ABI_H */
