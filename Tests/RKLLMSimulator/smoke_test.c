/*
 * smoke_test.c — checks the RKLLM simulator's contract (see the comment at
 * the top of Sources/RKLLMSimulator/rkllm_sim.c) through dlopen, the way the
 * Swift engine loads librkllmrt.so.
 *
 *   cc -std=c11 -DRKLLM_SIM_ABI=13 -I Sources/RKLLMSimulator/include \
 *      Tests/RKLLMSimulator/smoke_test.c -ldl -pthread -o smoke_test
 *   ./smoke_test .build/rkllm-sim/1.3/librkllmrt.so
 *
 * The last line printed is "N passed, N failed"; the exit status is 1 on failure.
 */
#define _POSIX_C_SOURCE 200809L

#include "rkllm_sim_abi.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------ harness */

static int passed, failed;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (cond) {                                                                                \
            passed++;                                                                              \
        } else {                                                                                   \
            failed++;                                                                              \
            printf("FAIL line %d: ", __LINE__);                                                    \
            printf(__VA_ARGS__);                                                                   \
            printf("\n");                                                                          \
        }                                                                                          \
    } while (0)

static struct {
    __typeof__(&rkllm_createDefaultParam) createDefaultParam;
    __typeof__(&rkllm_init) init;
    __typeof__(&rkllm_load_lora) load_lora;
    __typeof__(&rkllm_load_prompt_cache) load_prompt_cache;
    __typeof__(&rkllm_release_prompt_cache) release_prompt_cache;
    __typeof__(&rkllm_destroy) destroy;
    __typeof__(&rkllm_run) run;
    __typeof__(&rkllm_run_async) run_async;
    __typeof__(&rkllm_abort) abort;
    __typeof__(&rkllm_is_running) is_running;
    __typeof__(&rkllm_clear_kv_cache) clear_kv_cache;
    __typeof__(&rkllm_get_kv_cache_size) get_kv_cache_size;
    __typeof__(&rkllm_set_chat_template) set_chat_template;
    __typeof__(&rkllm_set_function_tools) set_function_tools;
    __typeof__(&rkllm_set_cross_attn_params) set_cross_attn_params;
} api;

static int load_api(const char *path) {
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        printf("dlopen %s: %s\n", path, dlerror());
        return -1;
    }
    int missing = 0;
#define LOAD(field, symbol)                                                                        \
    do {                                                                                           \
        *(void **)(&api.field) = dlsym(lib, symbol);                                               \
        if (!api.field) {                                                                          \
            printf("missing symbol %s\n", symbol);                                                 \
            missing++;                                                                             \
        }                                                                                          \
    } while (0)
    LOAD(createDefaultParam, "rkllm_createDefaultParam");
    LOAD(init, "rkllm_init");
    LOAD(load_lora, "rkllm_load_lora");
    LOAD(load_prompt_cache, "rkllm_load_prompt_cache");
    LOAD(release_prompt_cache, "rkllm_release_prompt_cache");
    LOAD(destroy, "rkllm_destroy");
    LOAD(run, "rkllm_run");
    LOAD(run_async, "rkllm_run_async");
    LOAD(abort, "rkllm_abort");
    LOAD(is_running, "rkllm_is_running");
    LOAD(clear_kv_cache, "rkllm_clear_kv_cache");
    LOAD(get_kv_cache_size, "rkllm_get_kv_cache_size");
    LOAD(set_chat_template, "rkllm_set_chat_template");
    LOAD(set_function_tools, "rkllm_set_function_tools");
    LOAD(set_cross_attn_params, "rkllm_set_cross_attn_params");
#undef LOAD
    CHECK(dlsym(lib, "sim_model_load") == NULL, "internal symbols must stay hidden");
    return missing ? -1 : 0;
}

/* ------------------------------------------------------------- utilities */

static char tmp_dir[256];

static char *tmp_paths[256]; /* every path handed out, freed at the end */
static int n_tmp_paths;

/* A path in the test's temporary directory, valid until the end of the test. */
static const char *tmp_path(const char *name) {
    static char overflow[512];
    size_t len = strlen(tmp_dir) + strlen(name) + 2;
    char *path = n_tmp_paths < 256 ? malloc(len) : NULL;
    if (!path) {
        snprintf(overflow, sizeof overflow, "%s/%s", tmp_dir, name);
        return overflow;
    }
    snprintf(path, len, "%s/%s", tmp_dir, name);
    tmp_paths[n_tmp_paths++] = path;
    return path;
}

static void write_file(const char *path, const char *content, size_t len) {
    FILE *file = fopen(path, "wb");
    if (!file) return;
    fwrite(content, 1, len, file);
    fclose(file);
}

/* Reads a whole file into a static buffer ("" when missing). */
static const char *read_file(const char *path) {
    static char buffer[1 << 16];
    buffer[0] = '\0';
    FILE *file = fopen(path, "rb");
    if (!file) return buffer;
    size_t got = fread(buffer, 1, sizeof buffer - 1, file);
    buffer[got] = '\0';
    fclose(file);
    return buffer;
}

static const char *write_model(const char *name, const char *json) {
    char content[4096];
    int len = snprintf(content, sizeof content, "RKLLMSIM1%s", json);
    const char *path = tmp_path(name);
    write_file(path, content, (size_t)len);
    return path;
}

static double now_ms(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec * 1000.0 + (double)now.tv_nsec / 1e6;
}

static void sleep_ms(int ms) {
    struct timespec pause = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    nanosleep(&pause, NULL);
}

/* stderr of the library goes to a file between capture_begin and capture_end. */
static int saved_stderr = -1;

static void capture_begin(void) {
    fflush(stderr);
    saved_stderr = dup(2);
    int fd = open(tmp_path("stderr.txt"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 2);
    close(fd);
}

static const char *capture_end(void) {
    fflush(stderr);
    dup2(saved_stderr, 2);
    close(saved_stderr);
    return read_file(tmp_path("stderr.txt"));
}

static bool valid_utf8(const char *text) {
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        int extra = *p < 0x80 ? 0 : (*p >> 5) == 6 ? 1 : (*p >> 4) == 14 ? 2 : (*p >> 3) == 30 ? 3 : -1;
        if (extra < 0) return false;
        for (int i = 1; i <= extra; i++)
            if ((p[i] & 0xC0) != 0x80) return false;
        p += extra + 1;
    }
    return true;
}

static int ceil4(size_t bytes) {
    return (int)((bytes + 3) / 4);
}

static const char DEFAULT_SYSTEM[] = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n";
static const char DEFAULT_PREFIX[] = "<|im_start|>user\n";
static const char DEFAULT_POSTFIX[] = "<|im_end|>\n<|im_start|>assistant\n";
static const char NO_THINK[] = "<think>\n\n</think>\n\n";

/* Tokens of the default template around `prompt` (thinking off). */
static int default_prompt_tokens(const char *prompt, bool with_system) {
    size_t len = strlen(DEFAULT_PREFIX) + strlen(prompt) + strlen(DEFAULT_POSTFIX) + strlen(NO_THINK);
    return ceil4(len + (with_system ? strlen(DEFAULT_SYSTEM) : 0));
}


/* ----------------------------------------------------- callback recorder */

#define MAX_BATCH 4
#define MAX_STEPS 256

typedef struct {
    LLMCallState state;
    bool text_null;
    char text[64];
    int32_t token_id;
} Step;

typedef struct {
    LLMHandle handle;          /* for rkllm_is_running inside the callback */
    pthread_t thread;          /* the thread that called rkllm_run */
    int n_batch;
    int pause_after;           /* answer 1 once this many tokens arrived (0: never) */
    int normal, waiting, finish, error, after_finish;
    bool wrong_thread, bad_utf8;
    int running_seen;          /* rkllm_is_running during the last callback */
    char text[MAX_BATCH][8192]; /* NORMAL texts appended, per element */
    int tokens[MAX_BATCH];     /* results with token_id >= 0, per element */
    bool finish_text_null[MAX_BATCH];
    int32_t finish_token_id[MAX_BATCH];
    RKLLMPerfStat perf[MAX_BATCH];
    Step steps[MAX_STEPS];     /* element 0, in order */
    int n_steps;
} Recorder;

static Recorder fallback_recorder; /* 1.3: RKLLMCallback.result_userdata */

static void recorder_reset(Recorder *r, LLMHandle handle, int n_batch) {
    memset(r, 0, sizeof *r);
    r->handle = handle;
    r->thread = pthread_self();
    r->n_batch = n_batch;
    r->running_seen = -99;
}

static void record_step(Recorder *r, const RKLLMResult *result, LLMCallState state) {
    if (r->n_steps >= MAX_STEPS) return;
    Step *step = &r->steps[r->n_steps++];
    step->state = state;
    step->text_null = result->text == NULL;
    snprintf(step->text, sizeof step->text, "%s", result->text ? result->text : "");
    step->token_id = result->token_id;
}

static void record_element(Recorder *r, int i, const RKLLMResult *result, LLMCallState state) {
    if (state == RKLLM_RUN_FINISH) {
        r->finish_text_null[i] = result->text == NULL;
        r->finish_token_id[i] = result->token_id;
        r->perf[i] = result->perf;
        return;
    }
    if (state != RKLLM_RUN_NORMAL && state != RKLLM_RUN_WAITING) return;
    if (result->token_id >= 0) r->tokens[i]++;
    if (state == RKLLM_RUN_NORMAL && result->text) {
        if (!valid_utf8(result->text)) r->bad_utf8 = true;
        strncat(r->text[i], result->text, sizeof r->text[i] - strlen(r->text[i]) - 1);
    }
}

static int on_result(RKLLMResult *result, void *userdata, LLMCallState state) {
    Recorder *r = userdata ? userdata : &fallback_recorder;
    if (!pthread_equal(pthread_self(), r->thread)) r->wrong_thread = true;
    if (r->finish) r->after_finish++;
    if (r->handle) r->running_seen = api.is_running(r->handle);
    record_step(r, &result[0], state);
    for (int i = 0; i < (r->n_batch ? r->n_batch : 1); i++) record_element(r, i, &result[i], state);
    switch (state) {
    case RKLLM_RUN_NORMAL: r->normal++; break;
    case RKLLM_RUN_WAITING: r->waiting++; break;
    case RKLLM_RUN_FINISH: r->finish++; break;
    case RKLLM_RUN_ERROR: r->error++; break;
    }
    return r->pause_after && r->normal + r->waiting >= r->pause_after ? 1 : 0;
}

/* ------------------------------------------------------- model helpers */

static const char *good_model;

static int init_model(LLMHandle *handle, RKLLMParam *param) {
#if RKLLM_SIM_ABI == 13
    RKLLMCallback callback = {.result_callback = on_result, .result_userdata = &fallback_recorder};
    return api.init(handle, param, &callback);
#else
    return api.init(handle, param, on_result);
#endif
}

/* Inits with stderr captured; returns the handle (NULL on failure). */
static LLMHandle open_model_with(RKLLMParam *param) {
    LLMHandle handle = NULL;
    capture_begin();
    int status = init_model(&handle, param);
    const char *err = capture_end();
    CHECK(status == 0 && handle, "init of %s failed: %s", param->model_path, err);
    return status == 0 ? handle : NULL;
}

static LLMHandle open_model(int max_context_len, int max_new_tokens) {
    RKLLMParam param = api.createDefaultParam();
    param.model_path = good_model;
    param.max_context_len = max_context_len;
    param.max_new_tokens = max_new_tokens;
    return open_model_with(&param);
}

static RKLLMInferParam infer_params(int keep_history) {
    RKLLMInferParam infer;
    memset(&infer, 0, sizeof infer);
    infer.mode = RKLLM_INFER_GENERATE;
    infer.keep_history = keep_history;
    return infer;
}

static RKLLMInput prompt_input(const char *prompt) {
    RKLLMInput input;
    memset(&input, 0, sizeof input);
    input.role = "user";
    input.input_type = RKLLM_INPUT_PROMPT;
    input.prompt_input = prompt;
    return input;
}

static int run_prompt(LLMHandle handle, const char *prompt, RKLLMInferParam *infer, Recorder *r) {
    recorder_reset(r, handle, 1);
    RKLLMInput input = prompt_input(prompt);
    return api.run(handle, &input, infer, r);
}

static int kv_size(LLMHandle handle) {
    int sizes[MAX_BATCH] = {-1, -1, -1, -1};
    api.get_kv_cache_size(handle, sizes);
    return sizes[0];
}

/* Runs `prompt` and saves the prompt cache, to see the assembled text. */
static const char *assembled_text(LLMHandle handle, RKLLMInput *input) {
    const char *path = tmp_path("assembled.bin");
    unlink(path);
    RKLLMPromptCacheParam cache = {.save_prompt_cache = 1, .prompt_cache_path = path};
    RKLLMInferParam infer = infer_params(0);
    infer.prompt_cache_params = &cache;
    Recorder r;
    recorder_reset(&r, handle, 1);
    api.run(handle, input, &infer, &r);
    const char *content = read_file(path);
    const char *header = "RKLLMSIMCACHE1\n";
    return strncmp(content, header, strlen(header)) == 0 ? content + strlen(header) : "(no header)";
}

/* ------------------------------------------------------------------ tests */

static void test_defaults(void) {
    RKLLMParam param = api.createDefaultParam();
    RKLLMParam expected;
    memset(&expected, 0, sizeof expected);
    expected.max_context_len = 4096;
    expected.max_new_tokens = 4096;
    expected.top_k = 40;
    expected.top_p = 0.9f;
    expected.temperature = 0.8f;
    expected.repeat_penalty = 1.1f;
    expected.mirostat_tau = 5.0f;
    expected.mirostat_eta = 0.1f;
    expected.skip_special_token = true;
    expected.extend_param.enabled_cpus_num = 4;
    expected.extend_param.n_batch = 1;
    CHECK(memcmp(&param, &expected, sizeof param) == 0, "default params differ (incl. zero bytes)");
    CHECK(param.extend_param.n_batch == 1 && param.model_path == NULL, "n_batch 1, model_path NULL");
    unsigned reserved = 0;
    for (size_t i = 0; i < sizeof param.extend_param.reserved; i++)
        reserved |= param.extend_param.reserved[i];
    CHECK(reserved == 0, "reserved bytes are zero");
}

/* Inits `path` (param tweaks via max_context_len) and checks the status and stderr. */
static void expect_init(const char *path, int max_context_len, int want_status, const char *want_err) {
    RKLLMParam param = api.createDefaultParam();
    param.model_path = path;
    param.max_context_len = max_context_len;
    LLMHandle handle = NULL;
    capture_begin();
    int status = init_model(&handle, &param);
    const char *err = capture_end();
    CHECK(status == want_status, "init %s: status %d, want %d (%s)", path, status, want_status, err);
    CHECK(strstr(err, want_err) != NULL, "init %s: stderr \"%s\" lacks \"%s\"", path, err, want_err);
    if (status == 0) api.destroy(handle);
    else CHECK(handle == NULL, "failed init leaves the handle NULL");
}

static void test_model_files(void) {
    const char *ok_line = RKLLM_SIM_ABI == 13 ? "I RKLLM: rkllm-runtime version: 1.3.0-sim, rknpu driver "
                                                "version: 0.9.8, platform: RK3588"
                                              : "I RKLLM: rkllm-runtime version: 1.2.3-sim, rknpu driver "
                                                "version: 0.9.8, platform: RK3588";
    expect_init(good_model, 4096, 0, ok_line);
    expect_init(write_model("upper.rkllm", "{\"target_platform\":\"RK3588\",\"max_context_limit\":4096,"
                                           "\"model_dtype\":\"W8A8\",\"extra\":true,\"n\":null}"),
                4096, 0, ok_line);
    expect_init(tmp_path("missing.rkllm"), 4096, -1, "E RKLLM: failed to open model file ");
    const char *empty = tmp_path("empty.rkllm");
    write_file(empty, "", 0);
    expect_init(empty, 4096, -1, "E RKLLM: invalid rkllm model! (");
    const char *gguf = tmp_path("other.rkllm");
    write_file(gguf, "GGUF\3\0\0\0", 8);
    expect_init(gguf, 4096, -1, "E RKLLM: invalid rkllm model! (");
    expect_init(write_model("truncated.rkllm", "{\"target_platform\":\"rk3588\",\"max_con"), 4096, -1,
                "E RKLLM: invalid rkllm model! (");
    expect_init(write_model("nokey.rkllm", "{\"target_platform\":\"rk3588\",\"model_dtype\":\"w8a8\"}"),
                4096, -1, "E RKLLM: invalid rkllm model! (");
    expect_init(write_model("nested.rkllm", "{\"target_platform\":\"rk3588\",\"max_context_limit\":4096,"
                                            "\"model_dtype\":\"w8a8\",\"x\":{}}"),
                4096, -1, "E RKLLM: invalid rkllm model! (");
    const char *rk3576 = write_model("rk3576.rkllm", "{\"target_platform\":\"rk3576\","
                                                     "\"max_context_limit\":4096,\"model_dtype\":\"w4a16\"}");
    expect_init(rk3576, 4096, -1,
                "E RKLLM: The model target_platform[rk3576] does not match the current platform[rk3588]!");
    setenv("RKLLM_SIM_PLATFORM", "RK3576", 1);
    expect_init(rk3576, 4096, 0, "platform: RK3576");
    unsetenv("RKLLM_SIM_PLATFORM");
    expect_init(good_model, 8192, -1,
                "E RKLLM: max_context[8192] must be less than the model's max_context_limit[4096]");
    setenv("RKLLM_SIM_NO_DRIVER", "1", 1);
    expect_init(good_model, 4096, -1,
                "E RKLLM: failed to open the rknpu device, please check that the NPU driver is loaded");
    unsetenv("RKLLM_SIM_NO_DRIVER");
}

static void test_echo_utf8(LLMHandle handle) {
    Recorder r;
    RKLLMInferParam infer = infer_params(0);
    const char *want = "h\xC3\xA9llo w\xC3\xB6rld \xE2\x82\xAC\xF0\x9D\x84\x9E ok \xE4\xBD\xA0\xE5\xA5\xBD!";
    char prompt[256];
    snprintf(prompt, sizeof prompt, "say [[echo]]no[[/echo]] then [[echo]]%s[[/echo]] bye", want);
    int status = run_prompt(handle, prompt, &infer, &r);
    CHECK(status == 0, "echo run returns 0");
    CHECK(strcmp(r.text[0], want) == 0, "echo text: got \"%s\"", r.text[0]);
    CHECK(r.waiting > 0, "a character split across tokens gives WAITING (%d)", r.waiting);
    CHECK(!r.bad_utf8, "NORMAL texts are whole UTF-8 characters");
    CHECK(r.finish == 1 && r.after_finish == 0 && r.error == 0, "one FINISH, last");
    CHECK(r.perf[0].generate_tokens == r.normal + r.waiting, "every callback is a token (%d vs %d)",
          r.perf[0].generate_tokens, r.normal + r.waiting);
    bool next_is_normal = true;
    for (int i = 0; i + 1 < r.n_steps; i++)
        if (r.steps[i].state == RKLLM_RUN_WAITING && r.steps[i + 1].state != RKLLM_RUN_NORMAL)
            next_is_normal = false;
    CHECK(next_is_normal, "a WAITING token is followed by a NORMAL one");
    CHECK(!r.wrong_thread, "callbacks run on the rkllm_run thread");

    /* Exact token sequence: "a" + U+1D11E + U+20AC = 61 | F0 9D 84 9E | E2 82 AC */
    status = run_prompt(handle, "[[echo]]a\xF0\x9D\x84\x9E\xE2\x82\xAC[[/echo]]", &infer, &r);
    CHECK(status == 0 && r.n_steps == 4, "split run: %d steps", r.n_steps);
    CHECK(r.steps[0].state == RKLLM_RUN_WAITING && strcmp(r.steps[0].text, "a\xF0\x9D") == 0,
          "first token WAITING with the partial bytes");
    CHECK(r.steps[1].state == RKLLM_RUN_NORMAL && strcmp(r.steps[1].text, "a\xF0\x9D\x84\x9E") == 0,
          "second token NORMAL with the joined character");
    CHECK(r.steps[2].state == RKLLM_RUN_NORMAL && strcmp(r.steps[2].text, "\xE2\x82\xAC") == 0,
          "third token NORMAL");
    CHECK(r.steps[3].state == RKLLM_RUN_FINISH && r.steps[3].text_null && r.steps[3].token_id == -1,
          "FINISH with text NULL and token_id -1");
    CHECK(r.steps[0].token_id == 0 && r.steps[1].token_id == 1 && r.steps[2].token_id == 2,
          "token ids 0, 1, 2");

    status = run_prompt(handle, "[[echo]]x[[/echo]] and [[echo]]unclosed", &infer, &r);
    CHECK(status == 0 && strncmp(r.text[0], "The quick brown ", 16) == 0,
          "no closing marker after the last opening one: filler (\"%.20s\")", r.text[0]);
}

static void test_filler_and_limits(void) {
    LLMHandle handle = open_model(4096, 5);
    if (!handle) return;
    Recorder r;
    RKLLMInferParam infer = infer_params(0);
    run_prompt(handle, "hello", &infer, &r);
    CHECK(strcmp(r.text[0], "The quick brown fox jumps ") == 0, "filler: \"%s\"", r.text[0]);
    CHECK(r.perf[0].generate_tokens == 5 && r.normal == 5, "max_new_tokens 5 (%d)", r.normal);
#if RKLLM_SIM_ABI == 13
    infer.max_new_tokens = 3;
    run_prompt(handle, "hello", &infer, &r);
    CHECK(r.normal == 3, "1.3 RKLLMInferParam.max_new_tokens wins (%d)", r.normal);
#endif
    api.destroy(handle);

    RKLLMParam param = api.createDefaultParam();
    param.model_path = write_model("filler.rkllm", "{\"target_platform\":\"rk3588\",\"max_context_limit\":"
                                                   "256,\"model_dtype\":\"w8a8\",\"filler\":\"alpha beta\"}");
    param.max_context_len = 256;
    param.max_new_tokens = 3;
    handle = open_model_with(&param);
    if (!handle) return;
    infer = infer_params(0);
    run_prompt(handle, "hi", &infer, &r);
    CHECK(strcmp(r.text[0], "alpha beta alpha ") == 0, "model filler: \"%s\"", r.text[0]);
    api.destroy(handle);
}

static void test_perf(void) {
    setenv("RKLLM_SIM_PREFILL_US_PER_TOKEN", "2000", 1);
    setenv("RKLLM_SIM_DECODE_US_PER_TOKEN", "10000", 1);
    LLMHandle handle = open_model(4096, 8);
    setenv("RKLLM_SIM_PREFILL_US_PER_TOKEN", "100", 1);
    setenv("RKLLM_SIM_DECODE_US_PER_TOKEN", "1000", 1);
    if (!handle) return;
    Recorder r;
    RKLLMInferParam infer = infer_params(0);
    run_prompt(handle, "How are you today?", &infer, &r);
    int tokens = default_prompt_tokens("How are you today?", true);
    const RKLLMPerfStat *perf = &r.perf[0];
    CHECK(perf->prefill_tokens == tokens, "prefill_tokens %d, want %d", perf->prefill_tokens, tokens);
    CHECK(perf->prefill_time_ms >= tokens * 2.0f && perf->prefill_time_ms < tokens * 2.0f + 60,
          "prefill_time_ms %.1f for %d tokens at 2 ms", perf->prefill_time_ms, tokens);
    CHECK(perf->generate_tokens == 8, "generate_tokens %d", perf->generate_tokens);
    /* The first token follows the prefill at once; each of the other 7 costs a decode step. */
    CHECK(perf->generate_time_ms >= 70.0f && perf->generate_time_ms < 190.0f, "generate_time_ms %.1f",
          perf->generate_time_ms);
    CHECK(perf->memory_usage_mb > 0, "memory_usage_mb %.1f", perf->memory_usage_mb);
    CHECK(r.finish_text_null[0] && r.finish_token_id[0] == -1, "FINISH text NULL, token_id -1");
    api.destroy(handle);

    /* The default speed: about 33 tokens/s. */
    unsetenv("RKLLM_SIM_DECODE_US_PER_TOKEN");
    handle = open_model(4096, 4);
    setenv("RKLLM_SIM_DECODE_US_PER_TOKEN", "1000", 1);
    if (!handle) return;
    run_prompt(handle, "hi", &infer, &r);
    CHECK(r.perf[0].generate_time_ms >= 3 * 30.3f && r.perf[0].generate_time_ms < 3 * 30.3f + 60,
          "default decode time %.1f ms for 4 tokens", r.perf[0].generate_time_ms);
    api.destroy(handle);
}

typedef struct {
    LLMHandle handle;
    int delay_ms;
    int running_during;
    int set_template_during;
} AbortJob;

static void *abort_later(void *arg) {
    AbortJob *job = arg;
    sleep_ms(job->delay_ms);
    job->running_during = api.is_running(job->handle);
    job->set_template_during = api.set_chat_template(job->handle, "x", NULL, NULL);
    api.abort(job->handle);
    return NULL;
}

static void test_abort_and_is_running(void) {
    setenv("RKLLM_SIM_DECODE_US_PER_TOKEN", "20000", 1);
    LLMHandle handle = open_model(4096, 1000);
    setenv("RKLLM_SIM_DECODE_US_PER_TOKEN", "1000", 1);
    if (!handle) return;
    const int running = RKLLM_SIM_ABI == 13 ? 1 : 0; /* 1.2: "0 if a task is running" */
    CHECK(api.is_running(handle) == !running, "is_running before a run: %d", api.is_running(handle));
    AbortJob job = {.handle = handle, .delay_ms = 150};
    pthread_t thread;
    pthread_create(&thread, NULL, abort_later, &job);
    Recorder r;
    RKLLMInferParam infer = infer_params(0);
    capture_begin();
    double start = now_ms();
    int status = run_prompt(handle, "talk forever", &infer, &r);
    double elapsed = now_ms() - start;
    pthread_join(thread, NULL);
    const char *err = capture_end();
    CHECK(status == 0, "aborted run returns 0");
    CHECK(r.finish == 1, "aborted run ends with FINISH");
    CHECK(elapsed < 400, "abort is prompt (%.0f ms)", elapsed);
    CHECK(r.perf[0].generate_tokens >= 3 && r.perf[0].generate_tokens <= 8, "tokens before abort: %d",
          r.perf[0].generate_tokens);
    CHECK(job.running_during == running, "is_running during a run: %d", job.running_during);
    CHECK(job.set_template_during == -1 && strstr(err, "while a run is in progress"),
          "set_chat_template is refused during a run");
    CHECK(r.running_seen == running, "is_running inside a callback: %d", r.running_seen);
    CHECK(api.is_running(handle) == !running, "is_running after a run");

    /* An abort before the run is forgotten when the run starts. */
    infer = infer_params(0);
    api.abort(handle);
    api.destroy(handle);
    handle = open_model(4096, 3);
    if (!handle) return;
    api.abort(handle);
    run_prompt(handle, "hi", &infer, &r);
    CHECK(r.normal == 3, "abort before the run has no effect (%d tokens)", r.normal);
    api.destroy(handle);
}

static void test_context_limit(void) {
    LLMHandle handle = open_model(64, 1000);
    if (!handle) return;
    Recorder r;
    RKLLMInferParam infer = infer_params(0);
    char prompt[400];
    memset(prompt, 'x', 300);
    prompt[300] = '\0';
    capture_begin();
    int status = run_prompt(handle, prompt, &infer, &r);
    const char *err = capture_end();
    int tokens = default_prompt_tokens(prompt, true);
    char want[160];
    snprintf(want, sizeof want, "E RKLLM: the input has %d tokens, which exceeds the max context length 64",
             tokens);
    CHECK(status == -1 && r.error == 1 && r.finish == 0, "too long prompt: status %d, ERROR %d", status,
          r.error);
    CHECK(strstr(err, want) != NULL, "context error line: %s", err);
    CHECK(r.steps[0].text_null, "ERROR text is NULL");

    status = run_prompt(handle, "short", &infer, &r);
    int prompt_tokens = default_prompt_tokens("short", true);
    CHECK(status == 0 && r.perf[0].generate_tokens == 64 - prompt_tokens,
          "generation stops when the context is full (%d tokens)", r.perf[0].generate_tokens);
    api.destroy(handle);
}

static void test_keep_history_and_pause(void) {
    LLMHandle handle = open_model(4096, 4);
    if (!handle) return;
    Recorder r;
    RKLLMInferParam keep = infer_params(1), independent = infer_params(0);
    run_prompt(handle, "first", &keep, &r);
    int first = default_prompt_tokens("first", true);
    CHECK(r.perf[0].prefill_tokens == first, "first turn prefill %d", r.perf[0].prefill_tokens);
    CHECK(kv_size(handle) == first + 4, "KV after turn 1: %d, want %d", kv_size(handle), first + 4);
    run_prompt(handle, "second", &keep, &r);
    int second = default_prompt_tokens("second", false);
    CHECK(r.perf[0].prefill_tokens == second, "turn 2 prefills only its text: %d, want %d",
          r.perf[0].prefill_tokens, second);
    CHECK(kv_size(handle) == first + second + 8, "KV after turn 2: %d", kv_size(handle));
    CHECK(api.clear_kv_cache(handle, 1, NULL, NULL) == 0, "clear_kv_cache keeping the system prompt");
    CHECK(kv_size(handle) == ceil4(strlen(DEFAULT_SYSTEM)), "KV keeps the system part: %d", kv_size(handle));
    int start[1] = {2}, end[1] = {5};
    api.clear_kv_cache(handle, 0, start, end);
    CHECK(kv_size(handle) == ceil4(strlen(DEFAULT_SYSTEM)) - 3, "range clear: %d", kv_size(handle));
    api.clear_kv_cache(handle, 0, NULL, NULL);
    CHECK(kv_size(handle) == 0, "full clear");
    run_prompt(handle, "again", &independent, &r);
    CHECK(kv_size(handle) == 0, "keep_history 0 empties the KV");

    /* Pause: the callback answers 1 after 2 tokens. */
    recorder_reset(&r, handle, 1);
    r.pause_after = 2;
    RKLLMInput input = prompt_input("pause me");
    int status = api.run(handle, &input, &independent, &r);
    CHECK(status == 0 && r.finish == 1 && r.perf[0].generate_tokens == 2, "pause: status %d, tokens %d",
          status, r.perf[0].generate_tokens);
    CHECK(kv_size(handle) == default_prompt_tokens("pause me", true) + 2, "pause keeps the KV: %d",
          kv_size(handle));
    api.clear_kv_cache(handle, 0, NULL, NULL);
    api.destroy(handle);
}

static void test_templates(void) {
    LLMHandle handle = open_model(4096, 1);
    if (!handle) return;
    RKLLMInput input = prompt_input("hi");
    char want[512];
    snprintf(want, sizeof want, "%s%shi%s%s", DEFAULT_SYSTEM, DEFAULT_PREFIX, DEFAULT_POSTFIX, NO_THINK);
    CHECK(strcmp(assembled_text(handle, &input), want) == 0, "default template");
    input.enable_thinking = true;
    snprintf(want, sizeof want, "%s%shi%s", DEFAULT_SYSTEM, DEFAULT_PREFIX, DEFAULT_POSTFIX);
    CHECK(strcmp(assembled_text(handle, &input), want) == 0, "thinking on: no empty think block");

    api.set_function_tools(handle, "Be useful.", "[{\"name\":\"f\"}]", "result");
    input.role = "tool";
    snprintf(want, sizeof want,
             "<|im_start|>system\nBe useful.\n\n# Tools\n[{\"name\":\"f\"}]<|im_end|>\n"
             "%s<result>\nhi\n</result>%s",
             DEFAULT_PREFIX, DEFAULT_POSTFIX);
    CHECK(strcmp(assembled_text(handle, &input), want) == 0, "function tools and role tool: %s",
          assembled_text(handle, &input));

    api.set_chat_template(handle, "S|", "P|", NULL);
    input.role = "user";
    input.enable_thinking = false;
    snprintf(want, sizeof want,
             "<|im_start|>system\nBe useful.\n\n# Tools\n[{\"name\":\"f\"}]<|im_end|>\nP|hi%s",
             DEFAULT_POSTFIX);
    CHECK(strcmp(assembled_text(handle, &input), want) == 0, "custom template keeps the tools system");
    api.set_function_tools(handle, NULL, NULL, NULL);
    api.set_chat_template(handle, NULL, NULL, "|E");
    CHECK(strcmp(assembled_text(handle, &input), "S|P|hi|E") == 0, "custom template, no think block: %s",
          assembled_text(handle, &input));

    Recorder r;
    recorder_reset(&r, handle, 1);
    input.input_type = RKLLM_INPUT_TOKEN;
    capture_begin();
    int status = api.run(handle, &input, NULL, &r);
    capture_end();
    CHECK(status == -1 && r.error == 1 && r.steps[0].text_null, "token input: ERROR and -1");
    api.destroy(handle);
}

static void test_prompt_cache(void) {
    setenv("RKLLM_SIM_PREFILL_US_PER_TOKEN", "1000", 1);
    LLMHandle handle = open_model(4096, 2);
    setenv("RKLLM_SIM_PREFILL_US_PER_TOKEN", "100", 1);
    if (!handle) return;
    char prefix[1024], prompt[1200];
    for (int i = 0; i < 800; i++) prefix[i] = (char)('a' + i % 26);
    prefix[800] = '\0';
    const char *path = tmp_path("prompt_cache.bin");
    RKLLMPromptCacheParam save = {.save_prompt_cache = 1, .prompt_cache_path = path};
    RKLLMInferParam infer = infer_params(0);
    infer.prompt_cache_params = &save;
    Recorder r;
    snprintf(prompt, sizeof prompt, "%s", prefix);
    run_prompt(handle, prompt, &infer, &r);
    float full_ms = r.perf[0].prefill_time_ms;
    int full_tokens = r.perf[0].prefill_tokens;
    const char *saved = read_file(path);
    CHECK(strncmp(saved, "RKLLMSIMCACHE1\n", 15) == 0 && strstr(saved, prefix) != NULL, "cache file written");
    size_t cached_bytes = strlen(saved) - 15;

    /* The saved text ends with the template's postfix: the same prompt matches it whole. */
    CHECK(api.load_prompt_cache(handle, path) == 0, "load_prompt_cache");
    infer.prompt_cache_params = NULL;
    run_prompt(handle, prompt, &infer, &r);
    CHECK(r.perf[0].prefill_tokens == full_tokens - ceil4(cached_bytes), "same prompt: %d tokens prefilled",
          r.perf[0].prefill_tokens);

    /* A cache of the text up to the user's fixed prefix serves longer prompts. */
    char cache_text[1200];
    int len = snprintf(cache_text, sizeof cache_text, "RKLLMSIMCACHE1\n%s%s%s", DEFAULT_SYSTEM,
                       DEFAULT_PREFIX, prefix);
    const char *prefix_path = tmp_path("prefix_cache.bin");
    write_file(prefix_path, cache_text, (size_t)len);
    CHECK(api.load_prompt_cache(handle, prefix_path) == 0, "load a second prompt cache");
    snprintf(prompt, sizeof prompt, "%s and more", prefix);
    run_prompt(handle, prompt, &infer, &r);
    int total = default_prompt_tokens(prompt, true);
    int want = total - ceil4((size_t)len - 15);
    CHECK(r.perf[0].prefill_tokens == want, "cached run prefills %d, want %d", r.perf[0].prefill_tokens,
          want);
    CHECK(r.perf[0].prefill_time_ms < full_ms / 4, "cached prefill %.1f ms vs %.1f ms (%d tokens)",
          r.perf[0].prefill_time_ms, full_ms, full_tokens);

    run_prompt(handle, "unrelated", &infer, &r);
    CHECK(r.perf[0].prefill_tokens == default_prompt_tokens("unrelated", true), "no match: full prefill");
    api.release_prompt_cache(handle);
    run_prompt(handle, prompt, &infer, &r);
    CHECK(r.perf[0].prefill_tokens == total, "released cache: full prefill (%d)", r.perf[0].prefill_tokens);

    const char *bad = tmp_path("bad_cache.bin");
    write_file(bad, "garbage", 7);
    capture_begin();
    int status = api.load_prompt_cache(handle, bad);
    int missing = api.load_prompt_cache(handle, tmp_path("no_cache.bin"));
    const char *err = capture_end();
    CHECK(status == -1 && missing == -1 && strstr(err, "E RKLLM: invalid prompt cache file"),
          "bad prompt cache rejected");
    api.destroy(handle);
}

static void test_batch(void) {
    RKLLMParam param = api.createDefaultParam();
    param.model_path = good_model;
    param.max_new_tokens = 4;
    param.extend_param.n_batch = 2;
    LLMHandle handle = open_model_with(&param);
    if (!handle) return;
    RKLLMInput inputs[2] = {prompt_input("[[echo]]ab\xE2\x82\xAC[[/echo]]"), prompt_input("filler")};
    RKLLMInferParam infer = infer_params(0);
    Recorder r;
    recorder_reset(&r, handle, 2);
    int status = api.run(handle, inputs, &infer, &r);
    CHECK(status == 0 && r.finish == 1, "batch run");
    CHECK(strcmp(r.text[0], "ab\xE2\x82\xAC") == 0, "batch element 0: \"%s\"", r.text[0]);
    CHECK(strcmp(r.text[1], "The quick brown fox ") == 0, "batch element 1: \"%s\"", r.text[1]);
    CHECK(r.tokens[0] == 2 && r.tokens[1] == 4 && r.normal == 4, "steps: %d/%d tokens, %d callbacks",
          r.tokens[0], r.tokens[1], r.normal);
    CHECK(r.steps[0].state == RKLLM_RUN_NORMAL && strcmp(r.steps[0].text, "") == 0,
          "a WAITING element in a NORMAL step has empty text");
    CHECK(r.steps[2].token_id == -1 && r.steps[2].text_null, "a finished element: token_id -1, text NULL");
    CHECK(r.perf[0].generate_tokens == 2 && r.perf[1].generate_tokens == 4, "per-element perf");
    CHECK(r.finish_token_id[1] == -1 && r.finish_text_null[1], "FINISH array");
    int sizes[2] = {-1, -1};
    api.get_kv_cache_size(handle, sizes);
    CHECK(sizes[0] == 0 && sizes[1] == 0, "KV sizes per batch");
    api.destroy(handle);
}

static void test_userdata(void) {
#if RKLLM_SIM_ABI == 13
    LLMHandle handle = open_model(4096, 2);
    if (!handle) return;
    RKLLMInput input = prompt_input("hi");
    RKLLMInferParam infer = infer_params(0);
    recorder_reset(&fallback_recorder, handle, 1);
    api.run(handle, &input, &infer, NULL);
    CHECK(fallback_recorder.normal == 2, "NULL run userdata: RKLLMCallback.result_userdata used");
    Recorder r;
    recorder_reset(&fallback_recorder, handle, 1);
    run_prompt(handle, "hi", &infer, &r);
    CHECK(r.normal == 2 && fallback_recorder.normal == 0, "non-NULL run userdata wins");
    recorder_reset(&r, handle, 1);
    CHECK(api.run_async(handle, &input, &infer, &r) == 0 && r.finish == 1 && r.normal == 2,
          "run_async behaves like run");
    CHECK(api.set_cross_attn_params(handle, NULL) == 0, "set_cross_attn_params");
    api.destroy(handle);
#endif
}

/* Loads `path` as adapter `name` with stderr captured; returns rkllm_load_lora's status. */
static int load_lora(LLMHandle handle, const char *path, const char *name, const char **err) {
    RKLLMLoraAdapter lora = {.lora_adapter_path = path, .lora_adapter_name = name, .scale = 1};
    capture_begin();
    int status = api.load_lora(handle, &lora);
    *err = capture_end();
    return status;
}

static void test_lora(void) {
    const char *log = tmp_path("lora-events.log");
    unlink(log);
    setenv("RKLLM_SIM_EVENT_LOG", log, 1);
    LLMHandle handle = open_model(4096, 16);
    if (!handle) return;
    const char *err;
    const char *pirate = write_model("base.lora.pirate.rkllm", "{\"lora_prefix\": \"[lora:pirate] \"}");
    const char *words = write_model("base.lora.words.rkllm", "{\"filler\": \"arr matey \"}");
    CHECK(load_lora(handle, pirate, "pirate", &err) == 0, "load_lora pirate: %s", err);
    CHECK(load_lora(handle, words, "words", &err) == 0, "load_lora words: %s", err);
    CHECK(load_lora(handle, pirate, "pirate", &err) == -1 && strstr(err, "E RKLLM: ") &&
              strstr(err, "already loaded"),
          "a name loaded twice is refused: %s", err);
    CHECK(load_lora(handle, tmp_path("missing.rkllm"), "gone", &err) == -1 && strstr(err, "E RKLLM: ") &&
              strstr(err, "gone"),
          "a missing adapter file is refused, naming the adapter: %s", err);
    CHECK(load_lora(handle, write_model("bad.lora.rkllm", "not json"), "bad", &err) == -1 &&
              strstr(err, "E RKLLM: "),
          "an invalid adapter file is refused: %s", err);

    RKLLMInferParam infer = infer_params(0);
    Recorder r;
    run_prompt(handle, "[[echo]]Hello[[/echo]]", &infer, &r);
    CHECK(strcmp(r.text[0], "Hello") == 0, "no lora_params: the base answer, got '%s'", r.text[0]);
    RKLLMLoraParam lora = {.lora_adapter_name = "pirate"};
    infer.lora_params = &lora;
    run_prompt(handle, "[[echo]]Hello[[/echo]]", &infer, &r);
    CHECK(strcmp(r.text[0], "[lora:pirate] Hello") == 0, "the adapter prefixes the echo, got '%s'", r.text[0]);
    run_prompt(handle, "no echo", &infer, &r);
    CHECK(strncmp(r.text[0], "[lora:pirate] The quick ", 24) == 0, "the adapter prefixes the filler, got '%s'",
          r.text[0]);
    lora.lora_adapter_name = "words";
    run_prompt(handle, "no echo", &infer, &r);
    CHECK(strncmp(r.text[0], "arr matey arr ", 14) == 0, "the adapter's filler, got '%s'", r.text[0]);
    lora.lora_adapter_name = "nobody";
    capture_begin();
    int status = run_prompt(handle, "[[echo]]Hello[[/echo]]", &infer, &r);
    err = capture_end();
    CHECK(status == -1 && r.error == 1 && r.normal == 0 && strstr(err, "E RKLLM: ") && strstr(err, "nobody"),
          "an unknown adapter: ERROR callback, -1 and an error line, got %d: %s", status, err);
    lora.lora_adapter_name = NULL;
    run_prompt(handle, "[[echo]]Hi[[/echo]]", &infer, &r);
    CHECK(strcmp(r.text[0], "Hi") == 0, "a NULL adapter name is the base model, got '%s'", r.text[0]);
    api.destroy(handle);
    unsetenv("RKLLM_SIM_EVENT_LOG");
    const char *events = read_file(log);
    CHECK(strstr(events, "load_lora name=pirate scale=1.00\n") != NULL, "load_lora event: %s", events);
    CHECK(strstr(events, "cached_tokens=0 lora=words\n") != NULL, "run event names the adapter: %s", events);
}

static void test_event_log(void) {
    const char *log = tmp_path("events.log");
    unlink(log);
    setenv("RKLLM_SIM_EVENT_LOG", log, 1);
    RKLLMParam param = api.createDefaultParam();
    param.model_path = good_model;
    param.max_context_len = 2048;
    param.max_new_tokens = 2;
    param.top_k = 1;
    param.n_keep = -1;
    param.extend_param.embed_flash = 1;
    param.extend_param.enabled_cpus_mask = CPU4 | CPU5 | CPU6 | CPU7;
    LLMHandle handle = open_model_with(&param);
    if (!handle) return;
    Recorder r;
    RKLLMInferParam infer = infer_params(0);
#if RKLLM_SIM_ABI == 13
    RKLLMSamplingParam sampling = {.top_k = 7, .top_p = 0.5f, .temperature = 0.25f, .repeat_penalty = 1.0f};
    infer.sampling_params = &sampling;
    const char *run_line = "run role=user thinking=0 keep_history=0 max_new_tokens=2 temperature=0.25 "
                           "top_k=7 top_p=0.50 repeat_penalty=1.00 prompt_tokens=";
#else
    const char *run_line = "run role=user thinking=0 keep_history=0 max_new_tokens=2 temperature=0.80 "
                           "top_k=1 top_p=0.90 repeat_penalty=1.10 prompt_tokens=";
#endif
    run_prompt(handle, "hi", &infer, &r);
    api.abort(handle);
    api.clear_kv_cache(handle, 1, NULL, NULL);
    api.set_chat_template(handle, NULL, NULL, NULL);
    api.set_function_tools(handle, "s", "[]", NULL);
    api.release_prompt_cache(handle);
    api.destroy(handle);
    setenv("RKLLM_SIM_NO_DRIVER", "1", 1);
    capture_begin();
    init_model(&handle, &param);
    capture_end();
    unsetenv("RKLLM_SIM_NO_DRIVER");
    unsetenv("RKLLM_SIM_EVENT_LOG");

    const char *events = read_file(log);
    char init_line[256];
    snprintf(init_line, sizeof init_line,
             "init ok abi=%d max_context_len=2048 max_new_tokens=2 top_k=1 temperature=0.80 n_keep=-1 "
             "n_batch=1 cpus_mask=0xf0 cpus_num=4 embed_flash=1 base_domain_id=0 skip_special_token=1\n",
             RKLLM_SIM_ABI);
    const char *lines[] = {init_line, run_line, "finish prefill_tokens=", " generate_tokens=2 aborted=0\n",
                           "\nabort\n", "\nclear_kv_cache keep_system_prompt=1\n", "\nset_chat_template\n",
                           "\nset_function_tools\n", "\nrelease_prompt_cache\n", "\ndestroy\n",
                           "\ninit fail reason=driver\n"};
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        CHECK(strstr(events, lines[i]) != NULL, "event log lacks \"%s\"", lines[i]);
    CHECK(strncmp(events, init_line, strlen(init_line)) == 0, "init is the first event:\n%s", events);
}

/* A multimodal input of `n_image` images with `tokens` rows each, in the layout under test; the tags are
 * the 1.3 image block's (1.2 takes them from RKLLMParam). */
static RKLLMInput multimodal_input(char *prompt, float *embed, size_t n_image, size_t tokens) {
    RKLLMInput input;
    memset(&input, 0, sizeof input);
    input.role = "user";
    input.input_type = RKLLM_INPUT_MULTIMODAL;
#if RKLLM_SIM_ABI == 13
    input.multimodal_input.prompt = prompt;
    input.multimodal_input.image.image_embed = embed;
    input.multimodal_input.image.n_image_tokens = tokens;
    input.multimodal_input.image.n_image = n_image;
    input.multimodal_input.image.image_start = "<|vision_start|>";
    input.multimodal_input.image.image_end = "<|vision_end|>";
    input.multimodal_input.image.image_content = "<|image_pad|>";
    input.multimodal_input.image.image_width = 392;
    input.multimodal_input.image.image_height = 392;
#else
    input.multimodal_input.prompt = prompt;
    input.multimodal_input.image_embed = embed;
    input.multimodal_input.n_image_tokens = tokens;
    input.multimodal_input.n_image = n_image;
    input.multimodal_input.image_width = 392;
    input.multimodal_input.image_height = 392;
#endif
    return input;
}

static void test_multimodal(void) {
    const char *log = tmp_path("multimodal.log");
    unlink(log);
    setenv("RKLLM_SIM_EVENT_LOG", log, 1);
    const char *model = write_model("vision.rkllm", "{\"target_platform\": \"rk3588\", \"max_context_limit\": 4096,"
                                                    " \"model_dtype\": \"w8a8\", \"embedding_size\": 8}");
    RKLLMParam param = api.createDefaultParam();
    param.model_path = model;
    param.max_context_len = 4096;
    param.max_new_tokens = 200;
#if RKLLM_SIM_ABI == 12
    char start[] = "<|vision_start|>", end[] = "<|vision_end|>", content[] = "<|image_pad|>";
    param.img_start = start;
    param.img_end = end;
    param.img_content = content;
#endif
    LLMHandle handle = open_model_with(&param);
#if RKLLM_SIM_ABI == 12
    /* The tags were copied at init. */
    memset(start, 'x', sizeof start - 1);
#endif
    if (!handle) {
        unsetenv("RKLLM_SIM_EVENT_LOG");
        return;
    }
    /* Two images of 4 rows x 8 floats: red-ish (1, 0, 0.5) and a mix whose means are 0.2, 0.4, 0.6. */
    float embed[2 * 4 * 8];
    for (int row = 0; row < 8; row++)
        for (int column = 0; column < 8; column++) {
            float value = 0;
            if (row < 4) value = column == 0 ? 1.0f : column == 2 ? 0.5f : 0.0f;
            else value = column == 0 ? (row % 2 ? 0.1f : 0.3f) : column == 1 ? 0.4f : column == 2 ? 0.6f : 9.0f;
            embed[row * 8 + column] = value;
        }
    Recorder r;
    RKLLMInferParam infer = infer_params(0);
    char prompt[] = "<image><image>What colours? [[vision]]";
    RKLLMInput input = multimodal_input(prompt, embed, 2, 4);
    recorder_reset(&r, handle, 1);
    int status = api.run(handle, &input, &infer, &r);
    const char *want = "vision images=2 image_tokens=4 start=<|vision_start|> end=<|vision_end|> "
                       "colours=#ff0080,#336699";
    CHECK(status == 0 && r.error == 0 && r.finish == 1, "multimodal run: status %d, %d errors", status, r.error);
    CHECK(strcmp(r.text[0], want) == 0, "vision answer \"%s\"", r.text[0]);
    /* The assembled text has the tags in place of the markers; the embeddings count as 8 tokens. */
    const char *expanded = "<|vision_start|><|vision_end|><|vision_start|><|vision_end|>What colours? [[vision]]";
    int text_tokens = default_prompt_tokens(expanded, true);
    CHECK(r.perf[0].prefill_tokens == text_tokens + 8, "multimodal prefill %d tokens, want %d",
          r.perf[0].prefill_tokens, text_tokens + 8);

    /* Without [[vision]]: an ordinary echo, the tokens still counted. */
    char echo_prompt[] = "<image>[[echo]]seen[[/echo]]";
    input = multimodal_input(echo_prompt, embed, 1, 4);
    recorder_reset(&r, handle, 1);
    status = api.run(handle, &input, &infer, &r);
    CHECK(status == 0 && strcmp(r.text[0], "seen") == 0, "multimodal echo \"%s\"", r.text[0]);

    /* Markers that do not match n_image: ERROR, -1, an E RKLLM line. */
    char mismatch[] = "<image> only one";
    input = multimodal_input(mismatch, embed, 2, 4);
    recorder_reset(&r, handle, 1);
    capture_begin();
    status = api.run(handle, &input, &infer, &r);
    const char *err = capture_end();
    CHECK(status == -1 && r.error == 1 && strstr(err, "E RKLLM: ") && strstr(err, "n_image is 2"),
          "marker mismatch: status %d, errors %d, stderr %s", status, r.error, err);
    /* No embeddings for an image: refused too. */
    input = multimodal_input(mismatch, NULL, 1, 4);
    recorder_reset(&r, handle, 1);
    capture_begin();
    status = api.run(handle, &input, &infer, &r);
    capture_end();
    CHECK(status == -1 && r.error == 1, "NULL image_embed: status %d", status);
    api.destroy(handle);
    unsetenv("RKLLM_SIM_EVENT_LOG");

    const char *events = read_file(log);
    const char *line = "multimodal n_image=2 n_image_tokens=4 image_width=392 image_height=392 "
                       "image_start=<|vision_start|> image_end=<|vision_end|> image_content=<|image_pad|>\n";
    CHECK(strstr(events, line) != NULL, "event log lacks \"%s\":\n%s", line, events);
    CHECK(write_model("bad-embedding.rkllm", "{\"target_platform\": \"rk3588\", \"max_context_limit\": 4096,"
                                             " \"model_dtype\": \"w8a8\", \"embedding_size\": 0}") != NULL,
          "model written");
    expect_init(tmp_path("bad-embedding.rkllm"), 4096, -1, "invalid rkllm model!");
}

/* What a GET_LAST_HIDDEN_LAYER / GET_LOGITS run delivered, copied inside the callback. */
typedef struct {
    int normal, finish, error, other;
    int embd_size, num_tokens, vocab_size, logit_tokens;
    double checksum;       /* sum of every hidden-state float */
    float first[4];        /* hidden_states[0..3] */
    float yes, no;         /* logits[9693], logits[2152] */
    bool text_null;
    int generate_tokens;   /* FINISH's perf */
} TensorRecorder;

static int on_tensor(RKLLMResult *result, void *userdata, LLMCallState state) {
    TensorRecorder *r = userdata;
    if (!r) return 0;
    if (state == RKLLM_RUN_FINISH) {
        r->finish++;
        r->generate_tokens = result->perf.generate_tokens;
        return 0;
    }
    if (state == RKLLM_RUN_ERROR) { r->error++; return 0; }
    if (state != RKLLM_RUN_NORMAL) { r->other++; return 0; }
    r->normal++;
    r->text_null = result->text == NULL;
    const RKLLMResultLastHiddenLayer *hidden = &result->last_hidden_layer;
    if (hidden->hidden_states && hidden->embd_size > 0) {
        r->embd_size = hidden->embd_size;
        r->num_tokens = hidden->num_tokens;
        for (long k = 0; k < (long)hidden->embd_size * hidden->num_tokens; k++) r->checksum += hidden->hidden_states[k];
        for (int k = 0; k < 4; k++) r->first[k] = hidden->hidden_states[k];
    }
    const RKLLMResultLogits *logits = &result->logits;
    if (logits->logits && logits->vocab_size > 9693) {
        r->vocab_size = logits->vocab_size;
        r->logit_tokens = logits->num_tokens;
        r->yes = logits->logits[9693];
        r->no = logits->logits[2152];
    }
    return 0;
}

static LLMHandle open_tensor_model(const char *path) {
    RKLLMParam param = api.createDefaultParam();
    param.model_path = path;
    param.max_context_len = 4096;
    LLMHandle handle = NULL;
    capture_begin();
#if RKLLM_SIM_ABI == 13
    RKLLMCallback callback = {.result_callback = on_tensor};
    int status = api.init(&handle, &param, &callback);
#else
    int status = api.init(&handle, &param, on_tensor);
#endif
    const char *err = capture_end();
    CHECK(status == 0 && handle, "init of %s failed: %s", path, err);
    return status == 0 ? handle : NULL;
}

static int run_tensor(LLMHandle handle, RKLLMInferMode mode, const char *prompt, TensorRecorder *r) {
    memset(r, 0, sizeof *r);
    RKLLMInferParam infer = infer_params(0);
    infer.mode = mode;
    RKLLMInput input = prompt_input(prompt);
    return api.run(handle, &input, &infer, r);
}

/* The probability of "yes" that a logits run gave. */
static double yes_share(const TensorRecorder *r) {
    double yes = r->yes, no = r->no, top = yes > no ? yes : no;
    double a = 0, b = 0;
    /* exp without libm: the logits here are within [-10, 10]. */
    for (int pass = 0; pass < 2; pass++) {
        double x = (pass == 0 ? yes : no) - top, term = 1, sum = 1;
        for (int n = 1; n < 60; n++) { term *= x / n; sum += term; }
        if (pass == 0) a = sum; else b = sum;
    }
    return a / (a + b);
}

static void test_infer_modes(void) {
    const char *path = write_model("embed.rkllm", "{\"target_platform\": \"rk3588\", \"max_context_limit\": 4096,"
                                                  " \"model_dtype\": \"w8a8\", \"embedding_size\": 64}");
    LLMHandle handle = open_tensor_model(path);
    if (!handle) return;
    api.set_chat_template(handle, "", "", "");
    TensorRecorder a, b, c;
    int status = run_tensor(handle, RKLLM_INFER_GET_LAST_HIDDEN_LAYER, "the quick brown fox", &a);
    CHECK(status == 0 && a.normal == 1 && a.finish == 1 && a.error == 0, "hidden: status %d normal %d finish %d",
          status, a.normal, a.finish);
    CHECK(a.embd_size == 64 && a.num_tokens == ceil4(strlen("the quick brown fox")), "hidden: %d x %d",
          a.num_tokens, a.embd_size);
    CHECK(a.text_null && a.generate_tokens == 0, "hidden: text NULL, nothing generated");
    CHECK(kv_size(handle) == 0, "hidden: keep_history 0 empties the KV (%d)", kv_size(handle));
    run_tensor(handle, RKLLM_INFER_GET_LAST_HIDDEN_LAYER, "the quick brown fox", &b);
    CHECK(a.checksum == b.checksum && a.first[0] == b.first[0], "hidden: equal texts give equal states");
    run_tensor(handle, RKLLM_INFER_GET_LAST_HIDDEN_LAYER, "a slow red hen", &c);
    CHECK(a.checksum != c.checksum && a.first[0] != c.first[0], "hidden: different texts differ");
    bool in_range = true;
    for (int k = 0; k < 4; k++) in_range = in_range && a.first[k] >= -1 && a.first[k] <= 1;
    CHECK(in_range, "hidden: floats in [-1, 1]");

    status = run_tensor(handle, RKLLM_INFER_GET_LOGITS, "<Query>: q\n<Document>: x [[score=0.83]]", &a);
    CHECK(status == 0 && a.normal == 1 && a.finish == 1, "logits: status %d normal %d", status, a.normal);
    CHECK(a.vocab_size == 151936 && a.logit_tokens == 1, "logits: %d x %d", a.logit_tokens, a.vocab_size);
    CHECK(yes_share(&a) > 0.829 && yes_share(&a) < 0.831, "logits: scripted 0.83, got %f", yes_share(&a));
    run_tensor(handle, RKLLM_INFER_GET_LOGITS, "<Query>: red fox\n<Document>: a red fox<|im_end|>", &b);
    run_tensor(handle, RKLLM_INFER_GET_LOGITS, "<Query>: red fox\n<Document>: a blue bird<|im_end|>", &c);
    CHECK(yes_share(&b) > 0.9 && yes_share(&c) < 0.1, "logits: overlap %f vs %f", yes_share(&b), yes_share(&c));
    api.destroy(handle);

    expect_init(write_model("bad-vocab.rkllm", "{\"target_platform\": \"rk3588\", \"max_context_limit\": 64,"
                                               " \"model_dtype\": \"w8a8\", \"vocab_size\": 100}"),
                0, -1, "invalid rkllm model");
}

static void test_destroy_hang(void) {
    LLMHandle handle = open_model(4096, 1);
    if (!handle) return;
    setenv("RKLLM_SIM_DESTROY_HANG_MS", "120", 1);
    double start = now_ms();
    api.destroy(handle);
    double elapsed = now_ms() - start;
    unsetenv("RKLLM_SIM_DESTROY_HANG_MS");
    CHECK(elapsed >= 120 && elapsed < 400, "destroy hangs %.0f ms", elapsed);
}

static void test_crash(void) {
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        setenv("RKLLM_SIM_CRASH_AFTER_TOKENS", "2", 1);
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 2);
        RKLLMParam param = api.createDefaultParam();
        param.model_path = good_model;
        LLMHandle handle = NULL;
        if (init_model(&handle, &param) != 0) _exit(3);
        Recorder r;
        RKLLMInferParam infer = infer_params(0);
        run_prompt(handle, "[[echo]]abcdef[[/echo]]", &infer, &r); /* exactly 2 tokens */
        _exit(r.normal == 2 ? 0 : 4);
    }
    int status = 0;
    waitpid(child, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "crash simulation raises SIGSEGV (status %d)",
          status);
}

/* Runtime 1.3.0's faults (sim_faults.c): the wrong EOS, two-phase thinking, the segfaulting second init. */
static void test_faults(void) {
    RKLLMParam param = api.createDefaultParam();
    param.model_path = write_model("eos.rkllm", "{\"target_platform\":\"rk3588\",\"max_context_limit\":4096,"
                                                "\"model_dtype\":\"w8a8\",\"eos_token_id\":42}");
    param.max_new_tokens = 10;
    setenv("RKLLM_SIM_FAULT_WRONG_EOS", "1", 1);
    LLMHandle handle = open_model_with(&param);
    unsetenv("RKLLM_SIM_FAULT_WRONG_EOS");
    if (!handle) return;
    Recorder r;
    RKLLMInferParam infer = infer_params(0);
    run_prompt(handle, "[[echo]]abcdef[[/echo]]", &infer, &r);
    CHECK(r.steps[0].token_id == 1000 && r.steps[1].token_id == 1001, "real token ids from 1000");
    CHECK(r.steps[2].token_id == 42 && strcmp(r.steps[2].text, "") == 0, "then the EOS token, text \"\"");
    CHECK(r.normal == 10 && strncmp(r.text[0], "abcdefThe quick", 15) == 0,
          "wrong EOS: filler up to max_new_tokens (%d): \"%s\"", r.normal, r.text[0]);
    api.destroy(handle);

    param.model_path = write_model("think.rkllm", "{\"target_platform\":\"rk3588\",\"max_context_limit\":4096,"
                                                  "\"model_dtype\":\"w8a8\",\"fault_two_phase_thinking\":true,"
                                                  "\"phase2_tokens\":2}");
    param.max_new_tokens = 64;
    handle = open_model_with(&param);
    if (!handle) return;
    run_prompt(handle, "[[echo]]<think>hmm</think>\n\nanswer text[[/echo]]", &infer, &r);
    CHECK(strcmp(r.text[0], "<think>hmm") == 0 && r.finish == 1, "phase 1 ends before </think>: \"%s\"",
          r.text[0]);
    run_prompt(handle, "[[echo]]<think>hmm</think>\n\nanswer text[[/echo]]<think>hmm</think>\n\n", &infer, &r);
    CHECK(strcmp(r.text[0], "answer") == 0 && r.finish == 1, "phase 2 cut after 2 tokens: \"%s\"", r.text[0]);
    api.destroy(handle);

    char ledger[600];
    snprintf(ledger, sizeof ledger, "%s/ledger", tmp_dir);
    mkdir(ledger, 0700);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        setenv("RKLLM_SIM_FAULT_INIT_OOM", "2", 1);
        setenv("RKLLM_SIM_NPU_LEDGER", ledger, 1);
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 2);
        RKLLMParam first = api.createDefaultParam();
        first.model_path = good_model;
        LLMHandle a = NULL, b = NULL;
        if (init_model(&a, &first) != 0) _exit(3);
        init_model(&b, &first); /* the second model at once: SIGSEGV */
        _exit(4);
    }
    int status = 0;
    waitpid(child, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "the second init segfaults (status %d)", status);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s path/to/librkllmrt.so\n", argv[0]);
        return 2;
    }
    printf("RKLLM simulator smoke test, ABI %d: %s\n", RKLLM_SIM_ABI, argv[1]);
    if (load_api(argv[1]) != 0) {
        printf("0 passed, 1 failed\n");
        return 1;
    }
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/rkllm-sim-smoke-XXXXXX");
    if (!mkdtemp(tmp_dir)) {
        perror("mkdtemp");
        return 1;
    }
    unsetenv("RKLLM_SIM_PLATFORM");
    unsetenv("RKLLM_SIM_NO_DRIVER");
    unsetenv("RKLLM_SIM_EVENT_LOG");
    unsetenv("RKLLM_SIM_CRASH_AFTER_TOKENS");
    unsetenv("RKLLM_SIM_DESTROY_HANG_MS");
    setenv("RKLLM_SIM_PREFILL_US_PER_TOKEN", "100", 1);
    setenv("RKLLM_SIM_DECODE_US_PER_TOKEN", "1000", 1);
    good_model = write_model("good.rkllm", "{\"target_platform\": \"rk3588\", \"max_context_limit\": 4096,\n"
                                           " \"model_dtype\": \"w8a8\", \"chat_template\": \"x\\u00e9\\n\"}"
                                           "\n\x01\x02 weights...");

    test_defaults();
    test_model_files();
    LLMHandle handle = open_model(4096, 64);
    if (handle) {
        test_echo_utf8(handle);
        api.destroy(handle);
    }
    test_filler_and_limits();
    test_perf();
    test_abort_and_is_running();
    test_context_limit();
    test_keep_history_and_pause();
    test_templates();
    test_prompt_cache();
    test_batch();
    test_userdata();
    test_lora();
    test_event_log();
    test_multimodal();
    test_faults();
    test_infer_modes();
    test_destroy_hang();
    test_crash();

    char command[600];
    snprintf(command, sizeof command, "rm -rf '%s'", tmp_dir);
    if (system(command) != 0) printf("could not remove %s\n", tmp_dir);
    for (int i = 0; i < n_tmp_paths; i++) free(tmp_paths[i]);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
