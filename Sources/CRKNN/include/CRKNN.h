// Our own declarations of the part of Rockchip's RKNN runtime C API (librknnrt.so) that a vision encoder uses,
// written from the documented facts of rknn_api.h: names, field order, sizes. Enums are int32_t in the ABI and
// are declared so. rknn_context is 64 bits wide on 64-bit systems, the only ones the server supports.
// Nothing is linked: RKNNVision opens the library with dlopen. rknn_layout_check.c checks every size and the
// offsets that matter at compile time (LP64: aarch64 boards, x86_64 simulator).
#ifndef CRKNN_H
#define CRKNN_H

#include <stddef.h>
#include <stdint.h>

typedef uint64_t rknn_context;

// Return codes.
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
#define RKNN_ERR_INCOMPATILE_PRE_COMPILE_MODEL -11
#define RKNN_ERR_INCOMPATILE_OPTIMIZATION_LEVEL_VERSION -12
#define RKNN_ERR_TARGET_PLATFORM_UNMATCH -13

#define RKNN_MAX_DIMS 16
#define RKNN_MAX_NAME_LEN 256

// rknn_query_cmd
#define RKNN_QUERY_IN_OUT_NUM 0
#define RKNN_QUERY_INPUT_ATTR 1
#define RKNN_QUERY_OUTPUT_ATTR 2
#define RKNN_QUERY_SDK_VERSION 5

// rknn_tensor_type
#define RKNN_TENSOR_FLOAT32 0
#define RKNN_TENSOR_FLOAT16 1
#define RKNN_TENSOR_INT8 2
#define RKNN_TENSOR_UINT8 3
#define RKNN_TENSOR_INT16 4
#define RKNN_TENSOR_UINT16 5
#define RKNN_TENSOR_INT32 6
#define RKNN_TENSOR_UINT32 7
#define RKNN_TENSOR_INT64 8
#define RKNN_TENSOR_BOOL 9
#define RKNN_TENSOR_INT4 10
#define RKNN_TENSOR_BFLOAT16 11

// rknn_tensor_format
#define RKNN_TENSOR_NCHW 0
#define RKNN_TENSOR_NHWC 1
#define RKNN_TENSOR_NC1HWC2 2
#define RKNN_TENSOR_UNDEFINED 3

// rknn_core_mask
#define RKNN_NPU_CORE_AUTO 0
#define RKNN_NPU_CORE_0 1
#define RKNN_NPU_CORE_1 2
#define RKNN_NPU_CORE_2 4
#define RKNN_NPU_CORE_0_1 3
#define RKNN_NPU_CORE_0_1_2 7
#define RKNN_NPU_CORE_ALL 0xffff

struct rknn_input_output_num {
    uint32_t n_input;
    uint32_t n_output;
};

struct rknn_tensor_attr {
    uint32_t index;  // set by the caller before rknn_query
    uint32_t n_dims;
    uint32_t dims[RKNN_MAX_DIMS];
    char name[RKNN_MAX_NAME_LEN];
    uint32_t n_elems;
    uint32_t size;
    int32_t fmt;       // rknn_tensor_format
    int32_t type;      // rknn_tensor_type
    int32_t qnt_type;  // rknn_tensor_qnt_type
    int8_t fl;
    int32_t zp;
    float scale;
    uint32_t w_stride;
    uint32_t size_with_stride;
    uint8_t pass_through;
    uint32_t h_stride;
};

struct rknn_sdk_version {
    char api_version[256];
    char drv_version[256];
};

struct rknn_input {
    uint32_t index;
    void *buf;
    uint32_t size;
    uint8_t pass_through;
    int32_t type;  // rknn_tensor_type of buf
    int32_t fmt;   // rknn_tensor_format of buf
};

struct rknn_output {
    uint8_t want_float;
    uint8_t is_prealloc;
    uint32_t index;
    void *buf;  // the runtime's buffer unless is_prealloc; freed by rknn_outputs_release
    uint32_t size;
};

struct rknn_init_extend {
    rknn_context ctx;
    int32_t real_model_offset;
    uint32_t real_model_size;
    int32_t model_buffer_fd;
    uint32_t model_buffer_flags;
    uint8_t reserved[112];
};

struct rknn_run_extend {
    uint64_t frame_id;
    int32_t non_block;
    int32_t timeout_ms;
    int32_t fence_fd;
};

struct rknn_output_extend {
    uint64_t frame_id;
};

typedef int32_t (*rknn_init_fn)(rknn_context *context, void *model, uint32_t size, uint32_t flag,
                                struct rknn_init_extend *extend);
typedef int32_t (*rknn_destroy_fn)(rknn_context context);
typedef int32_t (*rknn_query_fn)(rknn_context context, int32_t cmd, void *info, uint32_t size);
typedef int32_t (*rknn_inputs_set_fn)(rknn_context context, uint32_t n_inputs, struct rknn_input *inputs);
typedef int32_t (*rknn_set_core_mask_fn)(rknn_context context, int32_t core_mask);
typedef int32_t (*rknn_run_fn)(rknn_context context, struct rknn_run_extend *extend);
typedef int32_t (*rknn_outputs_get_fn)(rknn_context context, uint32_t n_outputs, struct rknn_output *outputs,
                                       struct rknn_output_extend *extend);
typedef int32_t (*rknn_outputs_release_fn)(rknn_context context, uint32_t n_outputs, struct rknn_output *outputs);

#endif
