// Compile-time checks of our RKLLM declarations against the documented LP64 sizes and offsets of each
// release (rkllm-runtime-api.md, section 2). A mismatch fails the build instead of corrupting the runtime.
#include "CRKLLM.h"

#if defined(__LP64__)
_Static_assert(sizeof(struct rkllm_extend_param) == 120, "RKLLMExtendParam");
_Static_assert(offsetof(struct rkllm_extend_param, enabled_cpus_mask) == 8, "RKLLMExtendParam.enabled_cpus_mask");
_Static_assert(offsetof(struct rkllm_extend_param, n_batch) == 12, "RKLLMExtendParam.n_batch");
_Static_assert(sizeof(struct rkllm_perf_stat) == 20, "RKLLMPerfStat");
_Static_assert(sizeof(struct rkllm_result) == 72, "RKLLMResult");
_Static_assert(offsetof(struct rkllm_result, perf) == 48, "RKLLMResult.perf");
_Static_assert(sizeof(struct rkllm_prompt_cache_param) == 16, "RKLLMPromptCacheParam");

_Static_assert(sizeof(struct rkllm12_param) == 208, "1.2 RKLLMParam");
_Static_assert(offsetof(struct rkllm12_param, is_async) == 57, "1.2 RKLLMParam.is_async");
_Static_assert(offsetof(struct rkllm12_param, img_start) == 64, "1.2 RKLLMParam.img_start");
_Static_assert(offsetof(struct rkllm12_param, extend_param) == 88, "1.2 RKLLMParam.extend_param");
_Static_assert(sizeof(struct rkllm12_input) == 64, "1.2 RKLLMInput");
_Static_assert(offsetof(struct rkllm12_input, input_type) == 12, "1.2 RKLLMInput.input_type");
_Static_assert(offsetof(struct rkllm12_input, prompt_input) == 16, "1.2 RKLLMInput union");
_Static_assert(sizeof(struct rkllm12_multimodal_input) == 48, "1.2 RKLLMMultiModelInput");
_Static_assert(offsetof(struct rkllm12_multimodal_input, image_embed) == 8, "1.2 multimodal image_embed");
_Static_assert(offsetof(struct rkllm12_multimodal_input, n_image) == 24, "1.2 multimodal n_image");
_Static_assert(offsetof(struct rkllm12_multimodal_input, image_height) == 40, "1.2 multimodal image_height");
_Static_assert(offsetof(struct rkllm12_input, multimodal_input) == 16, "1.2 RKLLMInput.multimodal_input");
_Static_assert(sizeof(struct rkllm12_infer_param) == 32, "1.2 RKLLMInferParam");
_Static_assert(offsetof(struct rkllm12_infer_param, keep_history) == 24, "1.2 RKLLMInferParam.keep_history");

_Static_assert(sizeof(struct rkllm13_param) == 184, "1.3 RKLLMParam");
_Static_assert(offsetof(struct rkllm13_param, ignore_eos_token) == 57, "1.3 RKLLMParam.ignore_eos_token");
_Static_assert(offsetof(struct rkllm13_param, extend_param) == 60, "1.3 RKLLMParam.extend_param");
_Static_assert(sizeof(struct rkllm13_input) == 160, "1.3 RKLLMInput");
_Static_assert(offsetof(struct rkllm13_input, prompt_input) == 16, "1.3 RKLLMInput union");
_Static_assert(sizeof(struct rkllm13_multimodal_input) == 144, "1.3 RKLLMMultiModalInput");
_Static_assert(offsetof(struct rkllm13_multimodal_input, image) == 8, "1.3 multimodal image");
_Static_assert(offsetof(struct rkllm13_multimodal_input, image.n_image) == 24, "1.3 multimodal n_image");
_Static_assert(offsetof(struct rkllm13_multimodal_input, image.image_start) == 32, "1.3 multimodal image_start");
_Static_assert(offsetof(struct rkllm13_multimodal_input, image.image_content) == 48, "1.3 image_content");
_Static_assert(offsetof(struct rkllm13_multimodal_input, image.image_height) == 64, "1.3 image_height");
_Static_assert(offsetof(struct rkllm13_multimodal_input, video) == 72, "1.3 multimodal video");
_Static_assert(offsetof(struct rkllm13_input, multimodal_input) == 16, "1.3 RKLLMInput.multimodal_input");
_Static_assert(sizeof(struct rkllm13_sampling_param) == 36, "1.3 RKLLMSamplingParam");
_Static_assert(sizeof(struct rkllm13_infer_param) == 40, "1.3 RKLLMInferParam");
_Static_assert(offsetof(struct rkllm13_infer_param, sampling_params) == 24, "1.3 RKLLMInferParam.sampling_params");
_Static_assert(offsetof(struct rkllm13_infer_param, keep_history) == 32, "1.3 RKLLMInferParam.keep_history");
_Static_assert(offsetof(struct rkllm13_infer_param, max_new_tokens) == 36, "1.3 RKLLMInferParam.max_new_tokens");
_Static_assert(sizeof(struct rkllm13_callback) == 48, "1.3 RKLLMCallback");

_Static_assert(sizeof(struct rkllm_param_probe) > sizeof(struct rkllm12_param), "probe slot");
#endif
