/*
 * rknn_sim_abi.h — this project's own C declarations of the part of the RKNN
 * runtime ABI (librknnrt.so) that the simulator implements, written from the
 * documented facts of rknn_api.h: type names, field order, the sizes and
 * offsets on LP64 (pinned by the _Static_asserts at the end). Enums are
 * int32_t in the ABI and are declared so.
 */
#ifndef RKNN_SIM_ABI_H
#define RKNN_SIM_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Return codes. */
#define RKNN_SUCC 0
#define RKNN_ERR_FAIL -1
#define RKNN_ERR_TIMEOUT -2
#define RKNN_ERR_DEVICE_UNAVAILABLE -3
#define RKNN_ERR_MALLOC_FAIL -4
#define RKNN_ERR_PARAM_INVALID -5
#define RKNN_ERR_MODEL_INVALID -6
#define RKNN_ERR_CTX_INVALID -7
#define RKNN_ERR_INPUT_INVALID -8
#define RKNN_ERR_OUTPUT_INVALID -9
#define RKNN_ERR_DEVICE_UNMATCH -10
#define RKNN_ERR_TARGET_PLATFORM_UNMATCH -13

#define RKNN_MAX_DIMS 16
#define RKNN_MAX_NAME_LEN 256

typedef uint64_t rknn_context;

/* rknn_query_cmd (the commands the simulator answers). */
typedef int32_t rknn_query_cmd;
#define RKNN_QUERY_IN_OUT_NUM 0
#define RKNN_QUERY_INPUT_ATTR 1
#define RKNN_QUERY_OUTPUT_ATTR 2
#define RKNN_QUERY_SDK_VERSION 5

/* rknn_tensor_type */
typedef int32_t rknn_tensor_type;
#define RKNN_TENSOR_FLOAT32 0
#define RKNN_TENSOR_FLOAT16 1
#define RKNN_TENSOR_INT8 2
#define RKNN_TENSOR_UINT8 3

/* rknn_tensor_format */
typedef int32_t rknn_tensor_format;
#define RKNN_TENSOR_NCHW 0
#define RKNN_TENSOR_NHWC 1
#define RKNN_TENSOR_NC1HWC2 2
#define RKNN_TENSOR_UNDEFINED 3

/* rknn_tensor_qnt_type */
typedef int32_t rknn_tensor_qnt_type;
#define RKNN_TENSOR_QNT_NONE 0

/* rknn_core_mask */
typedef int32_t rknn_core_mask;
#define RKNN_NPU_CORE_AUTO 0
#define RKNN_NPU_CORE_0 1
#define RKNN_NPU_CORE_1 2
#define RKNN_NPU_CORE_2 4
#define RKNN_NPU_CORE_0_1 3
#define RKNN_NPU_CORE_0_1_2 7
#define RKNN_NPU_CORE_ALL 0xffff

typedef struct {
    uint32_t n_input;
    uint32_t n_output;
} rknn_input_output_num;

typedef struct {
    uint32_t index;
    uint32_t n_dims;
    uint32_t dims[RKNN_MAX_DIMS];
    char name[RKNN_MAX_NAME_LEN];
    uint32_t n_elems;
    uint32_t size;
    rknn_tensor_format fmt;
    rknn_tensor_type type;
    rknn_tensor_qnt_type qnt_type;
    int8_t fl;
    int32_t zp;
    float scale;
    uint32_t w_stride;
    uint32_t size_with_stride;
    uint8_t pass_through;
    uint32_t h_stride;
} rknn_tensor_attr;

typedef struct {
    char api_version[256];
    char drv_version[256];
} rknn_sdk_version;

typedef struct {
    uint32_t index;
    void *buf;
    uint32_t size;
    uint8_t pass_through;
    rknn_tensor_type type;
    rknn_tensor_format fmt;
} rknn_input;

typedef struct {
    uint8_t want_float;
    uint8_t is_prealloc;
    uint32_t index;
    void *buf;
    uint32_t size;
} rknn_output;

typedef struct {
    rknn_context ctx;
    int32_t real_model_offset;
    uint32_t real_model_size;
    int32_t model_buffer_fd;
    uint32_t model_buffer_flags;
    uint8_t reserved[112];
} rknn_init_extend;

typedef struct {
    uint64_t frame_id;
    int32_t non_block;
    int32_t timeout_ms;
    int32_t fence_fd;
} rknn_run_extend;

typedef struct {
    uint64_t frame_id;
} rknn_output_extend;

int rknn_init(rknn_context *context, void *model, uint32_t size, uint32_t flag, rknn_init_extend *extend);
int rknn_destroy(rknn_context context);
int rknn_query(rknn_context context, rknn_query_cmd cmd, void *info, uint32_t size);
int rknn_inputs_set(rknn_context context, uint32_t n_inputs, rknn_input inputs[]);
int rknn_set_core_mask(rknn_context context, rknn_core_mask core_mask);
int rknn_run(rknn_context context, rknn_run_extend *extend);
int rknn_outputs_get(rknn_context context, uint32_t n_outputs, rknn_output outputs[], rknn_output_extend *extend);
int rknn_outputs_release(rknn_context context, uint32_t n_outputs, rknn_output outputs[]);

#if defined(__LP64__)
_Static_assert(sizeof(rknn_input_output_num) == 8, "rknn_input_output_num");
_Static_assert(sizeof(rknn_tensor_attr) == 376, "rknn_tensor_attr");
_Static_assert(offsetof(rknn_tensor_attr, name) == 72, "rknn_tensor_attr.name");
_Static_assert(offsetof(rknn_tensor_attr, n_elems) == 328, "rknn_tensor_attr.n_elems");
_Static_assert(offsetof(rknn_tensor_attr, fmt) == 336, "rknn_tensor_attr.fmt");
_Static_assert(offsetof(rknn_tensor_attr, fl) == 348, "rknn_tensor_attr.fl");
_Static_assert(offsetof(rknn_tensor_attr, zp) == 352, "rknn_tensor_attr.zp");
_Static_assert(offsetof(rknn_tensor_attr, w_stride) == 360, "rknn_tensor_attr.w_stride");
_Static_assert(offsetof(rknn_tensor_attr, pass_through) == 368, "rknn_tensor_attr.pass_through");
_Static_assert(offsetof(rknn_tensor_attr, h_stride) == 372, "rknn_tensor_attr.h_stride");
_Static_assert(sizeof(rknn_sdk_version) == 512, "rknn_sdk_version");
_Static_assert(sizeof(rknn_input) == 32, "rknn_input");
_Static_assert(offsetof(rknn_input, buf) == 8, "rknn_input.buf");
_Static_assert(offsetof(rknn_input, size) == 16, "rknn_input.size");
_Static_assert(offsetof(rknn_input, pass_through) == 20, "rknn_input.pass_through");
_Static_assert(offsetof(rknn_input, type) == 24, "rknn_input.type");
_Static_assert(offsetof(rknn_input, fmt) == 28, "rknn_input.fmt");
_Static_assert(sizeof(rknn_output) == 24, "rknn_output");
_Static_assert(offsetof(rknn_output, index) == 4, "rknn_output.index");
_Static_assert(offsetof(rknn_output, buf) == 8, "rknn_output.buf");
_Static_assert(offsetof(rknn_output, size) == 16, "rknn_output.size");
_Static_assert(sizeof(rknn_init_extend) == 136, "rknn_init_extend");
_Static_assert(sizeof(rknn_run_extend) == 24, "rknn_run_extend");
#endif

#ifdef __cplusplus
}
#endif

#endif
