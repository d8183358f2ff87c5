/*
 * sim_internal.h — what the simulator's source files share. Nothing here is
 * exported: the library is built with -fvisibility=hidden and only the
 * functions declared RKLLM_SIM_EXPORT in rkllm_sim_abi.h are visible.
 * The contract the simulator implements is described in rkllm_sim.c.
 */
#ifndef RKLLM_SIM_INTERNAL_H
#define RKLLM_SIM_INTERNAL_H

#include "rkllm_sim_abi.h"

#include <stdatomic.h>

#if RKLLM_SIM_ABI == 13
#define SIM_RUNTIME_VERSION "1.3.0-sim"
#else
#define SIM_RUNTIME_VERSION "1.2.3-sim"
#endif

#define SIM_PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))

/* ---- sim_util.c: strings, tokens, clock, environment, logging ---- */

/* A growable NUL-terminated byte string. */
typedef struct {
    char *data;
    size_t len;
    size_t cap;
} SimBuf;

int sim_buf_append(SimBuf *buf, const char *bytes, size_t len);
int sim_buf_append_str(SimBuf *buf, const char *str);
void sim_buf_free(SimBuf *buf);
char *sim_strdup(const char *str); /* NULL in, NULL out */

/* A prompt "token" is 4 bytes of assembled text. */
int sim_tokens_for_bytes(size_t bytes);

double sim_now_ms(void); /* CLOCK_MONOTONIC */
/* Sleeps `us` microseconds in slices of at most 2 ms; returns false as soon
 * as *abort_flag is seen set. */
bool sim_sleep_us(long long us, atomic_bool *abort_flag);

long long sim_env_int(const char *name, long long fallback);
/* A finite, non-negative decimal number from the environment, else `fallback`. */
double sim_env_double(const char *name, double fallback);

/* One line to stderr, prefixed "E RKLLM: " / "I RKLLM: ". */
void sim_log_error(const char *fmt, ...) SIM_PRINTF(1, 2);
void sim_log_info(const char *fmt, ...) SIM_PRINTF(1, 2);
/* One line appended to $RKLLM_SIM_EVENT_LOG (if set) with a single write(). */
void sim_event(const char *fmt, ...) SIM_PRINTF(1, 2);

/* ---- sim_json.c: a flat JSON object of strings, integers and booleans ---- */

typedef enum { SIM_JSON_STRING, SIM_JSON_INTEGER, SIM_JSON_BOOL, SIM_JSON_NULL } SimJsonType;

typedef struct {
    char *key;
    SimJsonType type;
    char *string;
    long long integer;
    bool boolean;
} SimJsonMember;

typedef struct {
    SimJsonMember *members;
    size_t count;
} SimJsonObject;

/* Parses the object at the start of `text`; bytes after its closing brace are
 * ignored. Returns 0, or -1 with a short reason in `reason`. */
int sim_json_parse_object(const char *text, size_t len, SimJsonObject *out, char *reason,
                          size_t reason_cap);
const SimJsonMember *sim_json_find(const SimJsonObject *object, const char *key);
void sim_json_free(SimJsonObject *object);

/* ---- sim_faults.c: runtime 1.3.0's known faults, each behind a switch ---- */

/* Read at rkllm_init from the model file's keys, then the environment (which wins). */
typedef struct {
    bool real_token_ids;     /* answer tokens get ids from SIM_FIRST_TOKEN_ID, and an EOS token ends them */
    long long eos_token_id;  /* the model's real EOS id (key eos_token_id, default 151645) */
    bool wrong_eos;          /* #534: the EOS token is not recognised, filler follows it */
    bool two_phase_thinking; /* FINISH at </think>; a continuation answers at most phase2_tokens */
    long long phase2_tokens;
    long long init_oom;      /* n > 0: the n-th model live on the machine at once segfaults in rkllm_init */
    char *npu_ledger;        /* directory of one file per live model (<pid>.<seq>), or NULL */
} SimFaults;

/* What the faults track of one batch element during a run. */
typedef struct {
    int phase;      /* 0: no two-phase fault; 1: reasoning, cut at </think>; 2: a continuation */
    bool eos_sent;  /* the EOS token was emitted */
    int after_eos;  /* tokens generated after it */
} SimSlotFaults;

/* ---- sim_model.c: the simulated model file ---- */

typedef struct {
    char *target_platform;
    char *model_dtype;
    long long max_context_limit;
    char *filler; /* NULL: the default filler text */
    long long embedding_size; /* hidden size: columns of the last hidden layer (default 1536) */
    long long vocab_size;     /* entries of a token's logits (default 151936) */
    long long yes_token;      /* the token whose logit a rerank prompt's score sets (default 9693) */
    long long no_token;       /* the token compared with it (default 2152) */
    SimFaults faults;
} SimModel;

typedef enum { SIM_MODEL_OK, SIM_MODEL_UNREADABLE, SIM_MODEL_INVALID } SimModelStatus;

SimModelStatus sim_model_load(const char *path, SimModel *model, char *reason, size_t reason_cap);
void sim_model_free(SimModel *model);
/* rkllm_init's checks (driver, model file, platform, context); on failure
 * prints the runtime's error line and returns the event-log reason, else NULL
 * with *model loaded and *max_context_len the effective context length. */
const char *sim_model_check_init(const RKLLMParam *param, SimModel *model, int *max_context_len);

/* ---- sim_template.c: the built-in chat template ---- */

typedef struct {
    char *system;
    char *prefix;
    char *postfix;
    bool is_custom;      /* set by rkllm_set_chat_template */
    char *tools_system;  /* system part built by rkllm_set_function_tools, or NULL */
    char *tool_tag;      /* tag wrapping role "tool" prompts */
} SimTemplate;

int sim_template_init(SimTemplate *tpl);
void sim_template_free(SimTemplate *tpl);
int sim_template_set(SimTemplate *tpl, const char *system, const char *prefix, const char *postfix);
int sim_template_set_tools(SimTemplate *tpl, const char *system_prompt, const char *tools,
                           const char *tool_response_str);

typedef struct {
    char *text;         /* the whole assembled text (owned) */
    size_t system_len;  /* bytes of `text` that are the system part (0 when left out) */
} SimPrompt;

int sim_template_assemble(const SimTemplate *tpl, const char *role, bool enable_thinking,
                          const char *prompt, bool include_system, SimPrompt *out);

/* ---- sim_output.c: the deterministic answer, token by token ---- */

typedef struct {
    const char *echo;   /* answer text from [[echo]]...[[/echo]], or NULL (filler) */
    size_t echo_len;
    size_t pos;         /* echo: bytes consumed so far */
    SimBuf pending;     /* echo: bytes of a token reported as WAITING */
    const char *filler; /* filler words */
    size_t word;        /* filler: index of the next word's start */
    SimBuf text;        /* the current token's text (NUL-terminated) */
} SimOutput;

typedef enum { SIM_TOKEN_NORMAL, SIM_TOKEN_WAITING, SIM_TOKEN_END } SimTokenKind;

void sim_output_init(SimOutput *out, const char *prompt, const char *filler);
/* True once an echo answer has been fully emitted (filler never ends). */
bool sim_output_done(const SimOutput *out);
/* Produces the next token into out->text; SIM_TOKEN_END when the answer is over. */
SimTokenKind sim_output_next(SimOutput *out);
void sim_output_free(SimOutput *out);

/* ---- sim_lora.c: LoRA adapters ---- */

typedef struct {
    char *name;
    char *prefix;  /* "lora_prefix", "" when none */
    char *filler;  /* "filler", NULL: the prefix followed by the model's filler */
    float scale;
} SimLora;

void sim_lora_free(SimLora *lora);

/* ---- the handle ---- */

typedef struct {
    long long prefill_us_per_token;
    long long decode_us_per_token;
    double batch_factor;          /* extra cost of each further unfinished batch element, per step */
    long long crash_after_tokens; /* < 0: never */
} SimTiming;

#define SIM_HANDLE_MAGIC 0x524b4c4cu /* "RKLL": tells a live handle from garbage */

typedef struct SimHandle {
    uint32_t magic;
    RKLLMParam param;           /* copy of the init parameters (model_path not kept) */
    int n_batch;
    SimTiming timing;           /* from the environment at rkllm_init */
    SimModel model;
    LLMResultCallback callback;
    void *callback_userdata;    /* 1.3: RKLLMCallback.result_userdata */
    SimTemplate tpl;
    char *prompt_cache;         /* loaded prompt-cache text, or NULL */
    size_t prompt_cache_len;
    int *kv_tokens;             /* per batch: tokens in the KV cache */
    int *kv_system_tokens;      /* per batch: of those, the system part's */
    SimLora *loras;             /* loaded by rkllm_load_lora */
    char *img_start;            /* 1.2: copies of RKLLMParam.img_* (NULL when not given) */
    char *img_end;
    char *img_content;
    size_t lora_count;
    char *npu_ledger_entry;     /* this handle's file in the NPU ledger, or NULL */
    atomic_bool abort_requested;
    atomic_bool running;
} SimHandle;

/* ---- sim_handle.c ---- */

/* A new handle owning *model (which is emptied); NULL when out of memory. */
SimHandle *sim_handle_new(const RKLLMParam *param, SimModel *model, int max_context_len);
void sim_handle_free(SimHandle *sim);
/* The live handle behind `handle`, or NULL (after printing an error). */
SimHandle *sim_handle_from(LLMHandle handle);
/* True (after printing an error) when a run is in progress: calls that change
 * what a run reads (templates, caches) are refused then. */
bool sim_busy(SimHandle *sim, const char *action);

/* ---- sim_run.c / sim_generate.c / sim_cache.c: one rkllm_run ---- */

/* ---- sim_multimodal.c: RKLLM_INPUT_MULTIMODAL ---- */

typedef struct {
    char *prompt;     /* the prompt with each <image> marker replaced by image_start + image_end */
    int image_tokens; /* n_image x n_image_tokens: prompt tokens without text */
    char *answer;     /* the "[[vision]]" answer, or NULL */
} SimMultimodal;

/* Checks a multimodal input and fills *out; -1 (message printed) when it is refused. */
int sim_multimodal_prepare(const SimHandle *sim, const RKLLMInput *input, SimMultimodal *out);
void sim_multimodal_free(SimMultimodal *mm);

/* Everything about one batch element of the current run. */
typedef struct {
    const RKLLMInput *input;
    SimPrompt prompt;
    int prompt_tokens;
    int cached_tokens;
    int prefilled_tokens;
    int generated_tokens;
    bool finished;
    SimTokenKind last_kind;    /* of the token in the current step */
    SimOutput output;
    char *lora_text;           /* the adapter's prompt or filler that output reads, or NULL */
    SimMultimodal multimodal;  /* zeroed for a text prompt */
    SimSlotFaults faults;
} SimSlot;

typedef struct {
    SimHandle *sim;
    int n_batch;
    SimSlot *slots;            /* n_batch of them */
    RKLLMResult *results;      /* n_batch of them, handed to the callback */
    void *userdata;
    const RKLLMPromptCacheParam *cache_param;
    const SimLora *lora;       /* the adapter lora_params names, or NULL */
    int max_new_tokens;
    bool keep_history;
    bool paused;               /* the callback returned 1 */
    bool aborted;              /* rkllm_abort was seen */
    double prefill_ms;
    double generate_ms;
} SimRun;

/* Prefills every slot, generates until all are finished, then FINISH. */
void sim_generate(SimRun *run);
/* Sleeps for the prompt tokens not served by the prompt cache (stops early on abort). */
void sim_prefill(SimRun *run);
/* The FINISH callback with the run's perf figures, after the KV is committed. */
void sim_finish(SimRun *run);
/* GET_LAST_HIDDEN_LAYER / GET_LOGITS (sim_infer_modes.c): prefill, one NORMAL callback with the tensor, FINISH. */
void sim_infer_tensors(SimRun *run, RKLLMInferMode mode);
/* Delivers one callback with run->results; returns the callback's answer. */
int sim_deliver(SimRun *run, LLMCallState state);

/* Tokens of `prompt` served by the loaded prompt cache (0 if it does not match). */
int sim_prompt_cache_tokens(const SimHandle *sim, const SimPrompt *prompt);
/* The adapter `infer->lora_params` names in *out (NULL for none); -1 (message printed) when that
 * adapter is not loaded. */
int sim_lora_select(const SimHandle *sim, const RKLLMInferParam *infer, const SimLora **out);
/* sim_output_init with the adapter's change (`lora` NULL: none); a string the output reads is put in
 * *owned, for the caller to free after the output. -1 when out of memory. */
int sim_lora_output_init(SimOutput *out, const SimLora *lora, const char *prompt, const char *filler,
                         char **owned);
/* Writes slot 0's assembled prompt when the run asked to save a prompt cache. */
void sim_save_prompt_cache(const SimRun *run);
/* Adds what the run put into the KV cache, or empties it (keep_history 0). */
void sim_kv_commit(const SimRun *run);

/* ---- sim_faults.c: the faults' hooks ---- */

/* Fills *faults from the model file's keys and the environment. */
void sim_faults_read(const SimJsonObject *json, SimFaults *faults);
void sim_faults_free(SimFaults *faults);
/* rkllm_init after the checks passed: registers the handle in the NPU ledger, or raises SIGSEGV when the
 * init-OOM fault says this model is one too many. */
void sim_faults_claim_npu(SimHandle *sim);
/* rkllm_destroy: removes the handle's ledger entry. */
void sim_faults_release_npu(SimHandle *sim);
/* After sim_output_init: shapes the slot's answer for the two-phase fault. */
void sim_faults_prepare_slot(const SimHandle *sim, SimSlot *slot, const char *raw_prompt);
/* Whether the slot's answer is over (replaces sim_output_done for the decode loop). */
bool sim_faults_slot_done(const SimHandle *sim, const SimRun *run, const SimSlot *slot);
/* The slot's next token into slot->output.text, with its token id. */
SimTokenKind sim_faults_next(const SimHandle *sim, SimSlot *slot, int32_t *token_id);
/* One event line per batch element at FINISH when the faults track tokens. */
void sim_faults_log_finish(const SimRun *run);

#endif /* RKLLM_SIM_INTERNAL_H */
