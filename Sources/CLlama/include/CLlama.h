// Our own declarations of the subset of the llama.cpp C API that RockchipLlama uses, pinned to the
// llama.cpp revision that llama-cpp-python 0.3.36 builds (llama_version() reports LLAMA_PINNED_VERSION).
// Nothing here is linked: LlamaEngine loads libllama.so with dlopen and fills a table of these pointers.
// Enums of the original API are declared as int32_t (C enums are 4 bytes there); struct field order and
// types follow the pinned header exactly. llama_layout_check.c checks the sizes at compile time.
#ifndef CLLAMA_H
#define CLLAMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LLAMA_PINNED_VERSION "0.5.0-dev"
#define LLAMA_DEFAULT_SEED 0xFFFFFFFF
#define LLAMA_POOLING_TYPE_MEAN 1

typedef int32_t llama_pos;
typedef int32_t llama_token;
typedef int32_t llama_seq_id;

struct llama_model;
struct llama_context;
struct llama_vocab;
struct llama_sampler;
struct llama_memory_i;
typedef struct llama_memory_i *llama_memory_t;

typedef bool (*llama_progress_callback)(float progress, void *user_data);
typedef bool (*ggml_abort_callback)(void *data);
typedef void (*ggml_log_callback)(int32_t level, const char *text, void *user_data);

struct llama_batch {
    int32_t n_tokens;
    llama_token *token;
    float *embd;
    llama_pos *pos;
    int32_t *n_seq_id;
    llama_seq_id **seq_id;
    int8_t *logits;
};

struct llama_model_params {
    void *devices;
    const void *tensor_buft_overrides;
    int32_t n_gpu_layers;
    int32_t split_mode;
    int32_t load_mode;
    int32_t lazy_mode;
    int32_t main_gpu;
    const float *tensor_split;
    llama_progress_callback progress_callback;
    void *progress_callback_user_data;
    const void *kv_overrides;
    bool vocab_only;
    bool check_tensors;
    bool use_extra_bufts;
    bool no_host;
    bool no_alloc;
    bool load_mtp;
};

struct llama_context_params {
    uint32_t n_ctx;
    uint32_t n_batch;
    uint32_t n_ubatch;
    uint32_t n_seq_max;
    uint32_t n_rs_seq;
    uint32_t n_outputs_max;
    uint32_t n_outputs_max_per_seq;
    int32_t n_threads;
    int32_t n_threads_batch;
    int32_t ctx_type;
    int32_t rope_scaling_type;
    int32_t pooling_type;
    int32_t attention_type;
    int32_t flash_attn_type;
    float rope_freq_base;
    float rope_freq_scale;
    float yarn_ext_factor;
    float yarn_attn_factor;
    float yarn_beta_fast;
    float yarn_beta_slow;
    uint32_t yarn_orig_ctx;
    float defrag_thold;
    void *cb_eval;
    void *cb_eval_user_data;
    int32_t type_k;
    int32_t type_v;
    ggml_abort_callback abort_callback;
    void *abort_callback_data;
    bool embeddings;
    bool offload_kqv;
    bool no_perf;
    bool op_offload;
    bool swa_full;
    bool kv_unified;
    void *samplers;
    size_t n_samplers;
    struct llama_context *ctx_other;
};

struct llama_sampler_chain_params {
    bool no_perf;
};

struct llama_chat_message {
    const char *role;
    const char *content;
};

typedef struct llama_token_data {
    llama_token id;
    float logit;
    float p;
} llama_token_data;

typedef struct llama_token_data_array {
    llama_token_data *data;
    size_t size;
    int64_t selected;
    bool sorted;
} llama_token_data_array;

struct llama_perf_context_data {
    double t_start_ms;
    double t_load_ms;
    double t_p_eval_ms;
    double t_eval_ms;
    int32_t n_p_eval;
    int32_t n_eval;
    int32_t n_reused;
};

// Function pointer types, one per function of the API that we call.
typedef const char *(*llama_version_fn)(void);
typedef void (*llama_backend_init_fn)(void);
typedef void (*llama_log_set_fn)(ggml_log_callback callback, void *user_data);
typedef struct llama_model_params (*llama_model_default_params_fn)(void);
typedef struct llama_context_params (*llama_context_default_params_fn)(void);
typedef struct llama_sampler_chain_params (*llama_sampler_chain_default_params_fn)(void);
typedef struct llama_model *(*llama_model_load_from_file_fn)(const char *path, struct llama_model_params params);
typedef void (*llama_model_free_fn)(struct llama_model *model);
typedef struct llama_context *(*llama_init_from_model_fn)(struct llama_model *model,
                                                          struct llama_context_params params);
typedef void (*llama_free_fn)(struct llama_context *ctx);
typedef uint32_t (*llama_n_ctx_fn)(const struct llama_context *ctx);
typedef uint32_t (*llama_n_batch_fn)(const struct llama_context *ctx);
typedef llama_memory_t (*llama_get_memory_fn)(const struct llama_context *ctx);
typedef const struct llama_vocab *(*llama_model_get_vocab_fn)(const struct llama_model *model);
typedef int32_t (*llama_model_n_ctx_train_fn)(const struct llama_model *model);
typedef int32_t (*llama_model_n_embd_fn)(const struct llama_model *model);
typedef int32_t (*llama_model_n_embd_out_fn)(const struct llama_model *model);
typedef uint64_t (*llama_model_size_fn)(const struct llama_model *model);
typedef uint64_t (*llama_model_n_params_fn)(const struct llama_model *model);
typedef int32_t (*llama_model_meta_val_str_fn)(const struct llama_model *model, const char *key, char *buf,
                                               size_t buf_size);
typedef int32_t (*llama_model_desc_fn)(const struct llama_model *model, char *buf, size_t buf_size);
typedef const char *(*llama_model_chat_template_fn)(const struct llama_model *model, const char *name);
typedef int32_t (*llama_vocab_n_tokens_fn)(const struct llama_vocab *vocab);
typedef bool (*llama_vocab_is_eog_fn)(const struct llama_vocab *vocab, llama_token token);
typedef llama_token (*llama_vocab_token_fn)(const struct llama_vocab *vocab);
typedef bool (*llama_vocab_get_add_bos_fn)(const struct llama_vocab *vocab);
typedef int32_t (*llama_tokenize_fn)(const struct llama_vocab *vocab, const char *text, int32_t text_len,
                                     llama_token *tokens, int32_t n_tokens_max, bool add_special,
                                     bool parse_special);
typedef int32_t (*llama_token_to_piece_fn)(const struct llama_vocab *vocab, llama_token token, char *buf,
                                           int32_t length, int32_t lstrip, bool special);
typedef int32_t (*llama_chat_apply_template_fn)(const char *tmpl, const struct llama_chat_message *chat,
                                                size_t n_msg, bool add_ass, char *buf, int32_t length);
typedef struct llama_batch (*llama_batch_init_fn)(int32_t n_tokens, int32_t embd, int32_t n_seq_max);
typedef void (*llama_batch_free_fn)(struct llama_batch batch);
typedef int32_t (*llama_decode_fn)(struct llama_context *ctx, struct llama_batch batch);
typedef float *(*llama_get_logits_ith_fn)(struct llama_context *ctx, int32_t i);
typedef float *(*llama_get_embeddings_seq_fn)(struct llama_context *ctx, llama_seq_id seq_id);
typedef void (*llama_memory_clear_fn)(llama_memory_t mem, bool data);
typedef bool (*llama_memory_seq_rm_fn)(llama_memory_t mem, llama_seq_id seq_id, llama_pos p0, llama_pos p1);
typedef llama_pos (*llama_memory_seq_pos_max_fn)(llama_memory_t mem, llama_seq_id seq_id);
typedef void (*llama_set_abort_callback_fn)(struct llama_context *ctx, ggml_abort_callback callback, void *data);
typedef struct llama_sampler *(*llama_sampler_chain_init_fn)(struct llama_sampler_chain_params params);
typedef void (*llama_sampler_chain_add_fn)(struct llama_sampler *chain, struct llama_sampler *sampler);
typedef struct llama_sampler *(*llama_sampler_init_void_fn)(void);
typedef struct llama_sampler *(*llama_sampler_init_seed_fn)(uint32_t seed);
typedef struct llama_sampler *(*llama_sampler_init_int_fn)(int32_t value);
typedef struct llama_sampler *(*llama_sampler_init_float_fn)(float value);
typedef struct llama_sampler *(*llama_sampler_init_float_keep_fn)(float value, size_t min_keep);
typedef struct llama_sampler *(*llama_sampler_init_penalties_fn)(int32_t n_vocab, int32_t penalty_last_n,
                                                                  float penalty_repeat,
                                                                  float penalty_freq, float penalty_present);
typedef void (*llama_sampler_accept_fn)(struct llama_sampler *sampler, llama_token token);
typedef llama_token (*llama_sampler_sample_fn)(struct llama_sampler *sampler, struct llama_context *ctx,
                                               int32_t idx);
typedef void (*llama_sampler_free_fn)(struct llama_sampler *sampler);
typedef void (*llama_sampler_apply_fn)(struct llama_sampler *sampler, llama_token_data_array *cur_p);
typedef struct llama_sampler *(*llama_sampler_init_grammar_fn)(const struct llama_vocab *vocab,
                                                                const char *grammar_str, const char *grammar_root);


// Sequence states: the host-memory prompt cache and the files of named prompt caches.
typedef size_t (*llama_state_seq_get_size_fn)(struct llama_context *ctx, llama_seq_id seq_id);
typedef size_t (*llama_state_seq_get_data_fn)(struct llama_context *ctx, uint8_t *dst, size_t size,
                                              llama_seq_id seq_id);
typedef size_t (*llama_state_seq_set_data_fn)(struct llama_context *ctx, const uint8_t *src, size_t size,
                                              llama_seq_id dest_seq_id);
typedef void (*llama_memory_seq_cp_fn)(llama_memory_t mem, llama_seq_id seq_id_src, llama_seq_id seq_id_dst,
                                       llama_pos p0, llama_pos p1);

#endif
