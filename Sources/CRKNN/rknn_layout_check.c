// Compile-time checks of our RKNN declarations against the documented LP64 sizes and offsets of rknn_api.h.
// A mismatch fails the build instead of corrupting the runtime's memory.
#include "CRKNN.h"

#if defined(__LP64__)
_Static_assert(sizeof(rknn_context) == 8, "rknn_context");
_Static_assert(sizeof(struct rknn_input_output_num) == 8, "rknn_input_output_num");
_Static_assert(sizeof(struct rknn_tensor_attr) == 376, "rknn_tensor_attr");
_Static_assert(offsetof(struct rknn_tensor_attr, dims) == 8, "rknn_tensor_attr.dims");
_Static_assert(offsetof(struct rknn_tensor_attr, name) == 72, "rknn_tensor_attr.name");
_Static_assert(offsetof(struct rknn_tensor_attr, n_elems) == 328, "rknn_tensor_attr.n_elems");
_Static_assert(offsetof(struct rknn_tensor_attr, size) == 332, "rknn_tensor_attr.size");
_Static_assert(offsetof(struct rknn_tensor_attr, fmt) == 336, "rknn_tensor_attr.fmt");
_Static_assert(offsetof(struct rknn_tensor_attr, type) == 340, "rknn_tensor_attr.type");
_Static_assert(offsetof(struct rknn_tensor_attr, qnt_type) == 344, "rknn_tensor_attr.qnt_type");
_Static_assert(offsetof(struct rknn_tensor_attr, fl) == 348, "rknn_tensor_attr.fl");
_Static_assert(offsetof(struct rknn_tensor_attr, zp) == 352, "rknn_tensor_attr.zp");
_Static_assert(offsetof(struct rknn_tensor_attr, scale) == 356, "rknn_tensor_attr.scale");
_Static_assert(offsetof(struct rknn_tensor_attr, w_stride) == 360, "rknn_tensor_attr.w_stride");
_Static_assert(offsetof(struct rknn_tensor_attr, size_with_stride) == 364, "rknn_tensor_attr.size_with_stride");
_Static_assert(offsetof(struct rknn_tensor_attr, pass_through) == 368, "rknn_tensor_attr.pass_through");
_Static_assert(offsetof(struct rknn_tensor_attr, h_stride) == 372, "rknn_tensor_attr.h_stride");
_Static_assert(sizeof(struct rknn_sdk_version) == 512, "rknn_sdk_version");
_Static_assert(offsetof(struct rknn_sdk_version, drv_version) == 256, "rknn_sdk_version.drv_version");
_Static_assert(sizeof(struct rknn_input) == 32, "rknn_input");
_Static_assert(offsetof(struct rknn_input, buf) == 8, "rknn_input.buf");
_Static_assert(offsetof(struct rknn_input, size) == 16, "rknn_input.size");
_Static_assert(offsetof(struct rknn_input, pass_through) == 20, "rknn_input.pass_through");
_Static_assert(offsetof(struct rknn_input, type) == 24, "rknn_input.type");
_Static_assert(offsetof(struct rknn_input, fmt) == 28, "rknn_input.fmt");
_Static_assert(sizeof(struct rknn_output) == 24, "rknn_output");
_Static_assert(offsetof(struct rknn_output, is_prealloc) == 1, "rknn_output.is_prealloc");
_Static_assert(offsetof(struct rknn_output, index) == 4, "rknn_output.index");
_Static_assert(offsetof(struct rknn_output, buf) == 8, "rknn_output.buf");
_Static_assert(offsetof(struct rknn_output, size) == 16, "rknn_output.size");
_Static_assert(sizeof(struct rknn_init_extend) == 136, "rknn_init_extend");
_Static_assert(offsetof(struct rknn_init_extend, reserved) == 24, "rknn_init_extend.reserved");
_Static_assert(sizeof(struct rknn_run_extend) == 24, "rknn_run_extend");
_Static_assert(sizeof(struct rknn_output_extend) == 8, "rknn_output_extend");
#endif
