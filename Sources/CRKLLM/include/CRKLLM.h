// Our own declarations of Rockchip's RKLLM runtime C ABI (librkllmrt.so), written from the documented
// facts of each release. Two layouts are supported, and they differ in ways that crash if confused:
//   rkllm12_*  releases 1.2.1 to 1.2.3
//   rkllm13_*  release 1.3.x
// Types shared by both layouts carry no version prefix. Enums are declared as int32_t (4 bytes in the ABI).
// Nothing is linked: RKLLMEngine opens the library with dlopen. rkllm_layout_check.c checks every size
// and the offsets that matter at compile time (LP64: aarch64 boards, x86_64 simulator).
#ifndef CRKLLM_H
#define CRKLLM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef void *rkllm_handle_t;

// LLMCallState
#define RKLLM_RUN_NORMAL 0
#define RKLLM_RUN_WAITING 1
#define RKLLM_RUN_FINISH 2
#define RKLLM_RUN_ERROR 3

// RKLLMInputType and RKLLMInferMode
#define RKLLM_INPUT_PROMPT 0
#define RKLLM_INPUT_MULTIMODAL 3
#define RKLLM_INFER_GENERATE 0
#define RKLLM_INFER_GET_LAST_HIDDEN_LAYER 1
#define RKLLM_INFER_GET_LOGITS 2

// RKLLMExtendParam: identical in 1.2.1+ and 1.3.x.
struct rkllm_extend_param {
    int32_t base_domain_id;
    int8_t embed_flash;
    int8_t enabled_cpus_num;
    uint32_t enabled_cpus_mask;
    uint8_t n_batch;
    int8_t use_cross_attn;
    uint8_t reserved[104];
};

struct rkllm_perf_stat {
    float prefill_time_ms;
    int32_t prefill_tokens;
    float generate_time_ms;
    int32_t generate_tokens;
    float memory_usage_mb;
};

struct rkllm_result_tensor {
    const float *data;
    int32_t size;
    int32_t num_tokens;
};

// RKLLMResult: identical in 1.2.1+ and 1.3.x.
struct rkllm_result {
    const char *text;
    int32_t token_id;
    struct rkllm_result_tensor last_hidden_layer;
    struct rkllm_result_tensor logits;
    struct rkllm_perf_stat perf;
};

struct rkllm_lora_param {
    const char *lora_adapter_name;
};

// RKLLMLoraAdapter: identical in 1.2.1+ and 1.3.x; rkllm_load_lora copies what it needs during the call.
struct rkllm_lora_adapter {
    const char *lora_adapter_path;
    const char *lora_adapter_name;
    float scale;
};

struct rkllm_prompt_cache_param {
    int32_t save_prompt_cache;
    const char *prompt_cache_path;
};

// LLMResultCallback (returns int since 1.2.1: 0 continue, 1 pause).
typedef int32_t (*rkllm_result_callback)(struct rkllm_result *result, void *userdata, int32_t state);

// MARK: 1.2.1 - 1.2.3

struct rkllm12_param {
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
    bool is_async;
    const char *img_start;
    const char *img_end;
    const char *img_content;
    struct rkllm_extend_param extend_param;
};

// RKLLMMultiModelInput (renamed RKLLMMultiModalInput in 1.2.3, same layout): the prompt carries one image
// marker per image; the image tags are RKLLMParam's img_* (set at init).
struct rkllm12_multimodal_input {
    char *prompt;
    float *image_embed;
    size_t n_image_tokens;
    size_t n_image;
    size_t image_width;
    size_t image_height;
};

struct rkllm12_input {
    const char *role;
    bool enable_thinking;
    int32_t input_type;
    union {
        const char *prompt_input;
        struct rkllm12_multimodal_input multimodal_input;
        uint8_t storage[48];
    };
};

struct rkllm12_infer_param {
    int32_t mode;
    struct rkllm_lora_param *lora_params;
    struct rkllm_prompt_cache_param *prompt_cache_params;
    int32_t keep_history;
};

typedef int32_t (*rkllm12_init_fn)(rkllm_handle_t *handle, struct rkllm12_param *param, rkllm_result_callback callback);

// MARK: 1.3.x

struct rkllm13_param {
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
    bool ignore_eos_token;
    bool is_async;
    struct rkllm_extend_param extend_param;
};

// RKLLMMultiModalInput of 1.3: the image block carries its own tags; the video block is left zeroed.
struct rkllm13_image_input {
    float *image_embed;
    size_t n_image_tokens;
    size_t n_image;
    const char *image_start;
    const char *image_end;
    const char *image_content;
    size_t image_width;
    size_t image_height;
};

struct rkllm13_video_input {
    float *video_embed;
    size_t n_frame_tokens;
    size_t n_frame_per_video;
    size_t n_video;
    const char *video_start;
    const char *video_end;
    const char *video_content;
    size_t frame_width;
    size_t frame_height;
};

struct rkllm13_multimodal_input {
    char *prompt;
    struct rkllm13_image_input image;
    struct rkllm13_video_input video;
};

struct rkllm13_input {
    const char *role;
    bool enable_thinking;
    int32_t input_type;
    union {
        const char *prompt_input;
        struct rkllm13_multimodal_input multimodal_input;
        uint8_t storage[144];
    };
};

struct rkllm13_sampling_param {
    int32_t top_k;
    float top_p;
    float temperature;
    float repeat_penalty;
    float frequency_penalty;
    float presence_penalty;
    int32_t mirostat;
    float mirostat_tau;
    float mirostat_eta;
};

struct rkllm13_infer_param {
    int32_t mode;
    struct rkllm_lora_param *lora_params;
    struct rkllm_prompt_cache_param *prompt_cache_params;
    struct rkllm13_sampling_param *sampling_params;
    int32_t keep_history;
    int32_t max_new_tokens;
};

struct rkllm13_callback {
    rkllm_result_callback result_callback;
    void *result_userdata;
    void *tokenizer_callback;
    void *tokenizer_userdata;
    void *embed_callback;
    void *embed_userdata;
};

typedef int32_t (*rkllm13_init_fn)(rkllm_handle_t *handle, struct rkllm13_param *param,
                                   struct rkllm13_callback *callback);

// MARK: Layout detection and the functions whose signature both layouts share

// A return slot larger than either layout's RKLLMParam (208 and 184 bytes), 8-aligned. Declaring
// rkllm_createDefaultParam as returning it is safe with either library: structs this large are returned
// through a caller-provided buffer (x86_64 and aarch64 alike), and the callee writes only its own size.
struct rkllm_param_probe {
    uint64_t words[32];
};
typedef struct rkllm_param_probe (*rkllm_create_default_param_probe_fn)(void);

// Inputs and infer parameters are passed by pointer: one signature serves both layouts.
typedef int32_t (*rkllm_run_fn)(rkllm_handle_t handle, void *input, void *infer_param, void *userdata);
typedef int32_t (*rkllm_handle_fn)(rkllm_handle_t handle);
typedef int32_t (*rkllm_set_chat_template_fn)(rkllm_handle_t handle, const char *system_prompt,
                                              const char *prompt_prefix, const char *prompt_postfix);
// 1.2.1+ and 1.3: NULL ranges clear the whole cache (keeping the system prompt's part if asked).
typedef int32_t (*rkllm_clear_kv_cache_fn)(rkllm_handle_t handle, int32_t keep_system_prompt, int32_t *start_pos,
                                           int32_t *end_pos);
/* Function calling (1.2.1 and later, the same in both layouts): tools is a JSON array of OpenAI-style tools,
 * or NULL to turn function calling off; tool_response_str names the tag that wraps results of role "tool". */
typedef int32_t (*rkllm_set_function_tools_fn)(rkllm_handle_t handle, const char *system_prompt, const char *tools,
                                               const char *tool_response_str);
/* Prompt caches (1.1.0 and later, the same in both layouts): later inputs are matched against the loaded file's
 * prefill from their start; release before loading another. */
/* LoRA (1.1.0 and later, the same in both layouts): one adapter per call, loaded after rkllm_init; a run picks
 * one by name through RKLLMInferParam.lora_params (NULL for the base model). */
typedef int32_t (*rkllm_load_lora_fn)(rkllm_handle_t handle, struct rkllm_lora_adapter *lora_adapter);
typedef int32_t (*rkllm_load_prompt_cache_fn)(rkllm_handle_t handle, const char *prompt_cache_path);

#endif
