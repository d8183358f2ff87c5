/*
 * rknn_sim.c — the RKNN simulator: a librknnrt.so look-alike exporting the
 * runtime's C entry points a vision encoder needs (see rknn_sim_abi.h), with
 * deterministic embeddings, so the Swift RKNN vision encoder is tested without
 * a Rockchip board.
 *
 * THE CONTRACT
 *  1 rknn_init(ctx, model, size, flag, extend): model is the file's bytes
 *    (size > 0) or its path (size == 0). The file is "RKNNSIM1" + a flat JSON
 *    object (sim_model.c). Failures print one "E RKNN: ..." line on stderr and
 *    return: env RKNN_SIM_NO_DRIVER=1 (checked first) RKNN_ERR_FAIL, as with no
 *    NPU driver; NULL arguments RKNN_ERR_PARAM_INVALID; an unreadable or
 *    invalid file RKNN_ERR_MODEL_INVALID; target_platform != env
 *    RKNN_SIM_PLATFORM (default rk3588, case-insensitive)
 *    RKNN_ERR_TARGET_PLATFORM_UNMATCH. flag and extend are ignored.
 *  2 rknn_query: IN_OUT_NUM {1, 1}; INPUT_ATTR index 0: 4 dims [1,H,W,3] NHWC
 *    (or [1,3,H,W] NCHW with "input_format":"nchw"), UINT8, name
 *    "pixel_values"; OUTPUT_ATTR index 0: 2 dims [tokens, embedding_size],
 *    FLOAT16, format UNDEFINED, name "image_embeds"; SDK_VERSION api
 *    "2.3.2 (rknn-sim)", driver "0.9.8". A size smaller than the struct, a NULL
 *    info, an index out of range or another command: RKNN_ERR_PARAM_INVALID.
 *  3 rknn_inputs_set: exactly one input, index 0, UINT8, NHWC or NCHW (either
 *    is converted), size W*H*3, else RKNN_ERR_PARAM_INVALID; pass_through 1
 *    takes the buffer as the native layout.
 *  4 rknn_run: RKNN_ERR_INPUT_INVALID before any input was set; computes the
 *    embeddings (sim_embed.c), then sleeps env RKNN_SIM_RUN_US (default 2000)
 *    microseconds, outside the lock.
 *  5 rknn_outputs_get: exactly one output, index 0, RKNN_ERR_OUTPUT_INVALID
 *    before a run. want_float 1 gives float32, else the native float16.
 *    is_prealloc 1 writes into the caller's buffer (size at least the data's,
 *    else RKNN_ERR_PARAM_INVALID); otherwise the runtime allocates the buffer,
 *    which rknn_outputs_release frees (and sets to NULL).
 *  6 rknn_set_core_mask: AUTO, 0, 1, 2, 0_1, 0_1_2 and ALL are accepted.
 *  7 An unknown or destroyed context is RKNN_ERR_CTX_INVALID everywhere.
 *    Calls on contexts are serialized by one lock.
 */
#define _POSIX_C_SOURCE 200809L

#include "sim_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct SimContext {
    rknn_context id;
    SimModel model;
    uint8_t *input; /* NHWC RGB8, W*H*3 */
    bool input_set;
    float *output; /* tokens x embedding_size */
    bool output_ready;
    void *handed_out; /* the buffer rknn_outputs_get allocated, until released */
    struct SimContext *next;
} SimContext;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static SimContext *contexts;
static rknn_context next_id = 0x5ee0001;

static SimContext *find(rknn_context id) {
    for (SimContext *c = contexts; c; c = c->next)
        if (c->id == id) return c;
    return NULL;
}

static void free_context(SimContext *c) {
    free(c->input);
    free(c->output);
    free(c->handed_out);
    free(c);
}

/* The model file at path, at most limit bytes (one more is read to tell a larger file). */
static uint8_t *read_file(const char *path, size_t limit, size_t *size) {
    FILE *file = fopen(path, "rb");
    if (!file) return NULL;
    uint8_t *bytes = malloc(limit + 1);
    size_t n = bytes ? fread(bytes, 1, limit + 1, file) : 0;
    fclose(file);
    *size = n;
    return bytes;
}

SIM_EXPORT int rknn_init(rknn_context *context, void *model, uint32_t size, uint32_t flag, rknn_init_extend *extend) {
    (void)flag;
    (void)extend;
    if (sim_env_long("RKNN_SIM_NO_DRIVER", 0) == 1) {
        sim_error(RKNN_ERR_FAIL, "failed to open rknpu module, need to insmod rknpu driver!");
        return sim_error(RKNN_ERR_FAIL, "failed to open rknn device!");
    }
    if (!context || !model) return sim_error(RKNN_ERR_PARAM_INVALID, "rknn_init: invalid parameters: NULL pointer");
    SimModel parsed;
    char reason[256];
    int parse_result;
    if (size == 0) {
        size_t read = 0;
        uint8_t *bytes = read_file((const char *)model, 128 * 1024, &read);
        if (!bytes) return sim_error(RKNN_ERR_MODEL_INVALID, "failed to read model file: %s", (const char *)model);
        parse_result = sim_model_parse(bytes, read, &parsed, reason, sizeof reason);
        free(bytes);
    } else {
        parse_result = sim_model_parse(model, size, &parsed, reason, sizeof reason);
    }
    if (parse_result != 0) return sim_error(RKNN_ERR_MODEL_INVALID, "invalid model: %s", reason);
    const char *platform = getenv("RKNN_SIM_PLATFORM");
    if (!platform || !*platform) platform = "rk3588";
    if (strcasecmp(platform, parsed.target_platform) != 0)
        return sim_error(RKNN_ERR_TARGET_PLATFORM_UNMATCH,
                         "the model's target platform %s does not match the current platform %s",
                         parsed.target_platform, platform);
    SimContext *c = calloc(1, sizeof *c);
    size_t pixels = (size_t)parsed.width * parsed.height * 3;
    size_t floats = (size_t)parsed.tokens * parsed.embedding_size;
    if (c) {
        c->input = malloc(pixels);
        c->output = malloc(floats * sizeof(float));
    }
    if (!c || !c->input || !c->output) {
        if (c) free_context(c);
        return sim_error(RKNN_ERR_MALLOC_FAIL, "rknn_init: out of memory");
    }
    c->model = parsed;
    pthread_mutex_lock(&lock);
    c->id = next_id++;
    c->next = contexts;
    contexts = c;
    *context = c->id;
    pthread_mutex_unlock(&lock);
    return RKNN_SUCC;
}

SIM_EXPORT int rknn_destroy(rknn_context context) {
    pthread_mutex_lock(&lock);
    SimContext **link = &contexts;
    while (*link && (*link)->id != context) link = &(*link)->next;
    SimContext *c = *link;
    if (c) *link = c->next;
    pthread_mutex_unlock(&lock);
    if (!c) return sim_error(RKNN_ERR_CTX_INVALID, "rknn_destroy: invalid context");
    free_context(c);
    return RKNN_SUCC;
}

static void fill_input_attr(const SimModel *m, rknn_tensor_attr *attr) {
    attr->n_dims = 4;
    attr->dims[0] = 1;
    if (m->nchw) {
        attr->dims[1] = 3;
        attr->dims[2] = m->height;
        attr->dims[3] = m->width;
    } else {
        attr->dims[1] = m->height;
        attr->dims[2] = m->width;
        attr->dims[3] = 3;
    }
    snprintf(attr->name, sizeof attr->name, "pixel_values");
    attr->n_elems = m->width * m->height * 3;
    attr->size = attr->n_elems;
    attr->fmt = m->nchw ? RKNN_TENSOR_NCHW : RKNN_TENSOR_NHWC;
    attr->type = RKNN_TENSOR_UINT8;
    attr->w_stride = m->nchw ? 0 : m->width;
    attr->size_with_stride = attr->size;
}

static void fill_output_attr(const SimModel *m, rknn_tensor_attr *attr) {
    attr->n_dims = 2;
    attr->dims[0] = m->tokens;
    attr->dims[1] = m->embedding_size;
    snprintf(attr->name, sizeof attr->name, "image_embeds");
    attr->n_elems = m->tokens * m->embedding_size;
    attr->size = attr->n_elems * 2;
    attr->fmt = RKNN_TENSOR_UNDEFINED;
    attr->type = RKNN_TENSOR_FLOAT16;
    attr->size_with_stride = attr->size;
}

static int query(SimContext *c, rknn_query_cmd cmd, void *info, uint32_t size) {
    if (!info) return sim_error(RKNN_ERR_PARAM_INVALID, "rknn_query: info is NULL");
    switch (cmd) {
    case RKNN_QUERY_IN_OUT_NUM: {
        if (size < sizeof(rknn_input_output_num))
            return sim_error(RKNN_ERR_PARAM_INVALID, "rknn_query: info size %u is too small", size);
        rknn_input_output_num *num = info;
        num->n_input = 1;
        num->n_output = 1;
        return RKNN_SUCC;
    }
    case RKNN_QUERY_INPUT_ATTR:
    case RKNN_QUERY_OUTPUT_ATTR: {
        if (size < sizeof(rknn_tensor_attr))
            return sim_error(RKNN_ERR_PARAM_INVALID, "rknn_query: info size %u is too small", size);
        rknn_tensor_attr *attr = info;
        uint32_t index = attr->index;
        if (index != 0)
            return sim_error(RKNN_ERR_PARAM_INVALID, "rknn_query: tensor index %u is out of range (1 tensor)", index);
        memset(attr, 0, sizeof *attr);
        attr->index = index;
        attr->qnt_type = RKNN_TENSOR_QNT_NONE;
        attr->scale = 1.0f;
        if (cmd == RKNN_QUERY_INPUT_ATTR) fill_input_attr(&c->model, attr);
        else fill_output_attr(&c->model, attr);
        return RKNN_SUCC;
    }
    case RKNN_QUERY_SDK_VERSION: {
        if (size < sizeof(rknn_sdk_version))
            return sim_error(RKNN_ERR_PARAM_INVALID, "rknn_query: info size %u is too small", size);
        rknn_sdk_version *version = info;
        memset(version, 0, sizeof *version);
        snprintf(version->api_version, sizeof version->api_version, "2.3.2 (rknn-sim)");
        snprintf(version->drv_version, sizeof version->drv_version, "0.9.8");
        return RKNN_SUCC;
    }
    default:
        return sim_error(RKNN_ERR_PARAM_INVALID, "rknn_query: unsupported command %d", (int)cmd);
    }
}

SIM_EXPORT int rknn_query(rknn_context context, rknn_query_cmd cmd, void *info, uint32_t size) {
    pthread_mutex_lock(&lock);
    SimContext *c = find(context);
    int result = c ? query(c, cmd, info, size) : sim_error(RKNN_ERR_CTX_INVALID, "rknn_query: invalid context");
    pthread_mutex_unlock(&lock);
    return result;
}

static int set_input(SimContext *c, uint32_t n_inputs, rknn_input *inputs) {
    if (!inputs || n_inputs != 1)
        return sim_error(RKNN_ERR_PARAM_INVALID, "rknn_inputs_set: the model has 1 input, %u given", n_inputs);
    const rknn_input *in = &inputs[0];
    const SimModel *m = &c->model;
    uint32_t expected = m->width * m->height * 3;
    if (in->index != 0 || !in->buf)
        return sim_error(RKNN_ERR_PARAM_INVALID, "rknn_inputs_set: invalid input index %u or NULL buffer", in->index);
    rknn_tensor_format fmt = in->pass_through ? (m->nchw ? RKNN_TENSOR_NCHW : RKNN_TENSOR_NHWC) : in->fmt;
    if (!in->pass_through && in->type != RKNN_TENSOR_UINT8)
        return sim_error(RKNN_ERR_PARAM_INVALID, "rknn_inputs_set: unsupported input type %d", (int)in->type);
    if (fmt != RKNN_TENSOR_NHWC && fmt != RKNN_TENSOR_NCHW)
        return sim_error(RKNN_ERR_PARAM_INVALID, "rknn_inputs_set: unsupported input format %d", (int)fmt);
    if (in->size != expected)
        return sim_error(RKNN_ERR_PARAM_INVALID, "rknn_inputs_set: input size %u does not match the model's %u",
                         in->size, expected);
    const uint8_t *src = in->buf;
    if (fmt == RKNN_TENSOR_NHWC) {
        memcpy(c->input, src, expected);
    } else {
        size_t plane = (size_t)m->width * m->height;
        for (size_t p = 0; p < plane; p++)
            for (int ch = 0; ch < 3; ch++) c->input[p * 3 + ch] = src[ch * plane + p];
    }
    c->input_set = true;
    return RKNN_SUCC;
}

SIM_EXPORT int rknn_inputs_set(rknn_context context, uint32_t n_inputs, rknn_input inputs[]) {
    pthread_mutex_lock(&lock);
    SimContext *c = find(context);
    int result =
        c ? set_input(c, n_inputs, inputs) : sim_error(RKNN_ERR_CTX_INVALID, "rknn_inputs_set: invalid context");
    pthread_mutex_unlock(&lock);
    return result;
}

SIM_EXPORT int rknn_set_core_mask(rknn_context context, rknn_core_mask core_mask) {
    pthread_mutex_lock(&lock);
    SimContext *c = find(context);
    pthread_mutex_unlock(&lock);
    if (!c) return sim_error(RKNN_ERR_CTX_INVALID, "rknn_set_core_mask: invalid context");
    switch (core_mask) {
    case RKNN_NPU_CORE_AUTO:
    case RKNN_NPU_CORE_0:
    case RKNN_NPU_CORE_1:
    case RKNN_NPU_CORE_2:
    case RKNN_NPU_CORE_0_1:
    case RKNN_NPU_CORE_0_1_2:
    case RKNN_NPU_CORE_ALL:
        return RKNN_SUCC;
    default:
        return sim_error(RKNN_ERR_PARAM_INVALID, "rknn_set_core_mask: invalid core mask %d", (int)core_mask);
    }
}

SIM_EXPORT int rknn_run(rknn_context context, rknn_run_extend *extend) {
    (void)extend;
    pthread_mutex_lock(&lock);
    SimContext *c = find(context);
    int result = RKNN_SUCC;
    if (!c) {
        result = sim_error(RKNN_ERR_CTX_INVALID, "rknn_run: invalid context");
    } else if (!c->input_set) {
        result = sim_error(RKNN_ERR_INPUT_INVALID, "rknn_run: the inputs were not set");
    } else {
        sim_embed(&c->model, c->input, c->output);
        c->output_ready = true;
    }
    pthread_mutex_unlock(&lock);
    if (result == RKNN_SUCC) sim_sleep_us(sim_env_long("RKNN_SIM_RUN_US", 2000));
    return result;
}

static int get_output(SimContext *c, uint32_t n_outputs, rknn_output *outputs) {
    if (!outputs || n_outputs != 1)
        return sim_error(RKNN_ERR_PARAM_INVALID, "rknn_outputs_get: the model has 1 output, %u asked for", n_outputs);
    rknn_output *out = &outputs[0];
    if (out->index != 0)
        return sim_error(RKNN_ERR_PARAM_INVALID, "rknn_outputs_get: output index %u is out of range", out->index);
    if (!c->output_ready) return sim_error(RKNN_ERR_OUTPUT_INVALID, "rknn_outputs_get: no run has finished");
    size_t count = (size_t)c->model.tokens * c->model.embedding_size;
    size_t bytes = count * (out->want_float ? sizeof(float) : sizeof(uint16_t));
    void *dest;
    if (out->is_prealloc) {
        if (!out->buf || out->size < bytes)
            return sim_error(RKNN_ERR_PARAM_INVALID, "rknn_outputs_get: the buffer of %u bytes is smaller than %zu",
                             out->size, bytes);
        dest = out->buf;
    } else {
        free(c->handed_out);
        c->handed_out = dest = malloc(bytes);
        if (!dest) return sim_error(RKNN_ERR_MALLOC_FAIL, "rknn_outputs_get: out of memory");
        out->buf = dest;
    }
    if (out->want_float) {
        memcpy(dest, c->output, bytes);
    } else {
        uint16_t *halves = dest;
        for (size_t i = 0; i < count; i++) halves[i] = sim_half(c->output[i]);
    }
    out->size = (uint32_t)bytes;
    return RKNN_SUCC;
}

SIM_EXPORT int rknn_outputs_get(rknn_context context, uint32_t n_outputs, rknn_output outputs[],
                                rknn_output_extend *extend) {
    pthread_mutex_lock(&lock);
    SimContext *c = find(context);
    int result =
        c ? get_output(c, n_outputs, outputs) : sim_error(RKNN_ERR_CTX_INVALID, "rknn_outputs_get: invalid context");
    if (result == RKNN_SUCC && extend) extend->frame_id = 0;
    pthread_mutex_unlock(&lock);
    return result;
}

SIM_EXPORT int rknn_outputs_release(rknn_context context, uint32_t n_outputs, rknn_output outputs[]) {
    pthread_mutex_lock(&lock);
    SimContext *c = find(context);
    int result = RKNN_SUCC;
    if (!c) {
        result = sim_error(RKNN_ERR_CTX_INVALID, "rknn_outputs_release: invalid context");
    } else if (!outputs && n_outputs > 0) {
        result = sim_error(RKNN_ERR_PARAM_INVALID, "rknn_outputs_release: outputs is NULL");
    } else {
        for (uint32_t i = 0; i < n_outputs; i++) {
            if (outputs[i].is_prealloc || !outputs[i].buf || outputs[i].buf != c->handed_out) continue;
            free(c->handed_out);
            c->handed_out = NULL;
            outputs[i].buf = NULL;
        }
    }
    pthread_mutex_unlock(&lock);
    return result;
}
