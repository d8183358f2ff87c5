/*
 * smoke_test.c — checks the RKNN simulator's contract (see the comment at the
 * top of Sources/RKNNSimulator/rknn_sim.c) through dlopen, the way the Swift
 * vision encoder loads librknnrt.so.
 *
 *   cc -std=c11 -I Sources/RKNNSimulator/include Tests/RKNNSimulator/smoke_test.c -ldl -o smoke_test
 *   ./smoke_test .build/rknn-sim/librknnrt.so [scripts/make-sim-vision-model.sh]
 *
 * The last line printed is "N passed, N failed"; the exit status is 1 on failure.
 */
#define _POSIX_C_SOURCE 200809L

#include "rknn_sim_abi.h"

#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
    __typeof__(&rknn_init) init;
    __typeof__(&rknn_destroy) destroy;
    __typeof__(&rknn_query) query;
    __typeof__(&rknn_inputs_set) inputs_set;
    __typeof__(&rknn_set_core_mask) set_core_mask;
    __typeof__(&rknn_run) run;
    __typeof__(&rknn_outputs_get) outputs_get;
    __typeof__(&rknn_outputs_release) outputs_release;
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
    LOAD(init, "rknn_init");
    LOAD(destroy, "rknn_destroy");
    LOAD(query, "rknn_query");
    LOAD(inputs_set, "rknn_inputs_set");
    LOAD(set_core_mask, "rknn_set_core_mask");
    LOAD(run, "rknn_run");
    LOAD(outputs_get, "rknn_outputs_get");
    LOAD(outputs_release, "rknn_outputs_release");
    return missing ? -1 : 0;
}

static const char *default_model =
    "RKNNSIM1{\"width\":392,\"height\":392,\"tokens\":196,\"embedding_size\":1536,\"target_platform\":\"rk3588\"}";

static int init_text(rknn_context *ctx, const char *text) {
    return api.init(ctx, (void *)text, (uint32_t)strlen(text), 0, NULL);
}

/* Sets one uint8 image, runs, and gets float output; returns the rknn code of the first failure. */
static int encode(rknn_context ctx, uint8_t *pixels, uint32_t size, rknn_tensor_format fmt, rknn_output *out) {
    rknn_input input = {.index = 0, .buf = pixels, .size = size, .type = RKNN_TENSOR_UINT8, .fmt = fmt};
    int ret = api.inputs_set(ctx, 1, &input);
    if (ret != RKNN_SUCC) return ret;
    ret = api.run(ctx, NULL);
    if (ret != RKNN_SUCC) return ret;
    memset(out, 0, sizeof *out);
    out->want_float = 1;
    return api.outputs_get(ctx, 1, out, NULL);
}

static void test_shape(void) {
    rknn_context ctx = 0;
    CHECK(init_text(&ctx, default_model) == RKNN_SUCC, "init");
    rknn_input_output_num num = {0};
    CHECK(api.query(ctx, RKNN_QUERY_IN_OUT_NUM, &num, sizeof num) == 0 && num.n_input == 1 && num.n_output == 1,
          "io num");
    rknn_tensor_attr attr = {.index = 0};
    CHECK(api.query(ctx, RKNN_QUERY_INPUT_ATTR, &attr, sizeof attr) == 0, "input attr");
    CHECK(attr.n_dims == 4 && attr.dims[0] == 1 && attr.dims[1] == 392 && attr.dims[2] == 392 && attr.dims[3] == 3,
          "input dims");
    CHECK(attr.fmt == RKNN_TENSOR_NHWC && attr.type == RKNN_TENSOR_UINT8 && attr.n_elems == 392 * 392 * 3,
          "input fmt/type/n_elems");
    memset(&attr, 0, sizeof attr);
    CHECK(api.query(ctx, RKNN_QUERY_OUTPUT_ATTR, &attr, sizeof attr) == 0, "output attr");
    CHECK(attr.n_dims == 2 && attr.dims[0] == 196 && attr.dims[1] == 1536 && attr.n_elems == 196 * 1536,
          "output dims");
    CHECK(attr.type == RKNN_TENSOR_FLOAT16 && attr.size == 196 * 1536 * 2, "output type and size");
    attr.index = 1;
    CHECK(api.query(ctx, RKNN_QUERY_OUTPUT_ATTR, &attr, sizeof attr) == RKNN_ERR_PARAM_INVALID, "index 1 refused");
    CHECK(api.query(ctx, RKNN_QUERY_INPUT_ATTR, &attr, 8) == RKNN_ERR_PARAM_INVALID, "small size refused");
    rknn_sdk_version version;
    CHECK(api.query(ctx, RKNN_QUERY_SDK_VERSION, &version, sizeof version) == 0 &&
              strstr(version.api_version, "rknn-sim") != NULL,
          "sdk version");
    CHECK(api.set_core_mask(ctx, RKNN_NPU_CORE_0_1_2) == 0, "core mask 0_1_2");
    CHECK(api.set_core_mask(ctx, 12345) == RKNN_ERR_PARAM_INVALID, "bad core mask");
    CHECK(api.destroy(ctx) == 0, "destroy");
    CHECK(api.destroy(ctx) == RKNN_ERR_CTX_INVALID, "destroy twice");
    CHECK(api.query(ctx, RKNN_QUERY_IN_OUT_NUM, &num, sizeof num) == RKNN_ERR_CTX_INVALID, "destroyed context");
}

static void test_embeddings(void) {
    rknn_context ctx = 0;
    CHECK(init_text(&ctx, default_model) == RKNN_SUCC, "init");
    size_t size = 392 * 392 * 3;
    uint8_t *pixels = malloc(size);
    for (size_t i = 0; i < size; i += 3) pixels[i] = 255, pixels[i + 1] = 0, pixels[i + 2] = 0;
    rknn_output out;
    CHECK(encode(ctx, pixels, (uint32_t)size, RKNN_TENSOR_NHWC, &out) == 0, "red run");
    const float *f = out.buf;
    CHECK(out.size == 196 * 1536 * 4, "float output size %u", out.size);
    int wrong = 0;
    for (size_t t = 0; t < 196; t++)
        for (size_t j = 0; j < 1536; j++) wrong += f[t * 1536 + j] != (j % 3 == 0 ? 1.0f : 0.0f);
    CHECK(wrong == 0, "red: %d wrong values", wrong);
    CHECK(api.outputs_release(ctx, 1, &out) == 0 && out.buf == NULL, "release");

    /* Left half red, right half blue: 14 x 14 regions of 28 pixels, 7 columns each side. */
    for (size_t y = 0; y < 392; y++)
        for (size_t x = 0; x < 392; x++) {
            uint8_t *p = pixels + (y * 392 + x) * 3;
            p[0] = x < 196 ? 255 : 0, p[1] = 0, p[2] = x < 196 ? 0 : 255;
        }
    CHECK(encode(ctx, pixels, (uint32_t)size, RKNN_TENSOR_NHWC, &out) == 0, "split run");
    f = out.buf;
    wrong = 0;
    for (size_t t = 0; t < 196; t++) {
        int left = (t % 14) < 7;
        wrong += f[t * 1536 + 0] != (left ? 1.0f : 0.0f) || f[t * 1536 + 2] != (left ? 0.0f : 1.0f);
    }
    CHECK(wrong == 0, "split: %d wrong rows", wrong);
    api.outputs_release(ctx, 1, &out);

    /* Half precision when no float is wanted: 1.0 is 0x3c00. */
    memset(&out, 0, sizeof out);
    CHECK(api.outputs_get(ctx, 1, &out, NULL) == 0 && out.size == 196 * 1536 * 2, "half output");
    CHECK(((uint16_t *)out.buf)[0] == 0x3c00 && ((uint16_t *)out.buf)[2] == 0, "half values");
    api.outputs_release(ctx, 1, &out);

    /* A caller's buffer, too small then large enough. */
    float small[4];
    rknn_output pre = {.want_float = 1, .is_prealloc = 1, .buf = small, .size = sizeof small};
    CHECK(api.outputs_get(ctx, 1, &pre, NULL) == RKNN_ERR_PARAM_INVALID, "small prealloc refused");

    rknn_input bad = {.index = 0, .buf = pixels, .size = (uint32_t)size - 3, .type = RKNN_TENSOR_UINT8,
                      .fmt = RKNN_TENSOR_NHWC};
    CHECK(api.inputs_set(ctx, 1, &bad) == RKNN_ERR_PARAM_INVALID, "wrong size refused");
    bad.size = (uint32_t)size;
    bad.type = RKNN_TENSOR_FLOAT32;
    CHECK(api.inputs_set(ctx, 1, &bad) == RKNN_ERR_PARAM_INVALID, "float input refused");
    CHECK(api.inputs_set(ctx, 2, &bad) == RKNN_ERR_PARAM_INVALID, "two inputs refused");
    api.destroy(ctx);

    CHECK(init_text(&ctx, default_model) == RKNN_SUCC, "init");
    CHECK(api.run(ctx, NULL) == RKNN_ERR_INPUT_INVALID, "run before inputs");
    memset(&out, 0, sizeof out);
    CHECK(api.outputs_get(ctx, 1, &out, NULL) == RKNN_ERR_OUTPUT_INVALID, "outputs before run");
    api.destroy(ctx);
    free(pixels);
}

static void test_nchw(void) {
    rknn_context ctx = 0;
    const char *model = "RKNNSIM1{\"width\":4,\"height\":2,\"tokens\":1,\"embedding_size\":3,"
                        "\"target_platform\":\"rk3588\",\"input_format\":\"nchw\"}";
    CHECK(init_text(&ctx, model) == RKNN_SUCC, "init nchw");
    rknn_tensor_attr attr = {.index = 0};
    api.query(ctx, RKNN_QUERY_INPUT_ATTR, &attr, sizeof attr);
    CHECK(attr.fmt == RKNN_TENSOR_NCHW && attr.dims[1] == 3 && attr.dims[2] == 2 && attr.dims[3] == 4, "nchw dims");
    uint8_t planes[24];
    for (int i = 0; i < 8; i++) planes[i] = 51, planes[8 + i] = 102, planes[16 + i] = 255;
    rknn_output out;
    CHECK(encode(ctx, planes, sizeof planes, RKNN_TENSOR_NCHW, &out) == 0, "nchw run");
    const float *f = out.buf;
    CHECK(fabsf(f[0] - 0.2f) < 1e-6f && fabsf(f[1] - 0.4f) < 1e-6f && f[2] == 1.0f, "nchw means %f %f %f", f[0],
          f[1], f[2]);
    api.outputs_release(ctx, 1, &out);
    api.destroy(ctx);
}

static void test_failures(void) {
    rknn_context ctx = 0;
    CHECK(init_text(&ctx, "RKNNSIMX{}") == RKNN_ERR_MODEL_INVALID, "bad magic");
    CHECK(init_text(&ctx, "RKNNSIM1{\"width\":392,\"height\":392,\"tokens\":195,\"embedding_size\":8,"
                          "\"target_platform\":\"rk3588\"}") == RKNN_ERR_MODEL_INVALID,
          "non-square tokens");
    CHECK(init_text(&ctx, "RKNNSIM1{\"width\":392,\"height\"") == RKNN_ERR_MODEL_INVALID, "truncated header");
    CHECK(init_text(&ctx, "RKNNSIM1{\"width\":392,\"height\":392,\"tokens\":196,\"embedding_size\":8,"
                          "\"target_platform\":\"rk3588\",\"x\":[1]}") == RKNN_ERR_MODEL_INVALID,
          "nested value");
    CHECK(api.init(NULL, (void *)default_model, 10, 0, NULL) == RKNN_ERR_PARAM_INVALID, "NULL context");
    CHECK(api.init(&ctx, (void *)"/nonexistent/encoder.rknn", 0, 0, NULL) == RKNN_ERR_MODEL_INVALID, "missing path");
    setenv("RKNN_SIM_PLATFORM", "rk3576", 1);
    CHECK(init_text(&ctx, default_model) == RKNN_ERR_TARGET_PLATFORM_UNMATCH, "platform mismatch");
    unsetenv("RKNN_SIM_PLATFORM");
    setenv("RKNN_SIM_NO_DRIVER", "1", 1);
    CHECK(init_text(&ctx, default_model) == RKNN_ERR_FAIL, "no driver");
    unsetenv("RKNN_SIM_NO_DRIVER");
    CHECK(api.run(0xdead, NULL) == RKNN_ERR_CTX_INVALID, "unknown context");
}

/* The script's file, read by path (size 0). */
static void test_script(const char *script) {
    char dir[] = "/tmp/rknn-sim-XXXXXX";
    if (!mkdtemp(dir)) return;
    char command[1024], path[512];
    snprintf(path, sizeof path, "%s/enc.rknn", dir);
    snprintf(command, sizeof command, "'%s' '%s' 64 32 4 6", script, path);
    CHECK(system(command) == 0, "make-sim-vision-model.sh");
    rknn_context ctx = 0;
    CHECK(api.init(&ctx, path, 0, 0, NULL) == RKNN_SUCC, "init from path");
    rknn_tensor_attr attr = {.index = 0};
    api.query(ctx, RKNN_QUERY_OUTPUT_ATTR, &attr, sizeof attr);
    CHECK(attr.dims[0] == 4 && attr.dims[1] == 6, "script shape");
    api.query(ctx, RKNN_QUERY_INPUT_ATTR, &attr, sizeof attr);
    CHECK(attr.dims[1] == 32 && attr.dims[2] == 64, "script input");
    api.destroy(ctx);
    unlink(path);
    rmdir(dir);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        printf("usage: %s LIBRKNNRT.SO [MAKE-SIM-VISION-MODEL.SH]\n", argv[0]);
        return 2;
    }
    setenv("RKNN_SIM_RUN_US", "0", 1);
    if (load_api(argv[1]) != 0) return 1;
    test_shape();
    test_embeddings();
    test_nchw();
    test_failures();
    if (argc > 2) test_script(argv[2]);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
