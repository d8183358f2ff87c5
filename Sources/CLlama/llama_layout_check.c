// Compile-time checks that our declarations keep the pinned llama.cpp ABI (LP64 sizes and offsets,
// measured against the pinned header with gcc). A mismatch fails the build instead of corrupting memory.
#include "CLlama.h"

#if defined(__LP64__)
_Static_assert(sizeof(struct llama_model_params) == 80, "llama_model_params layout");
_Static_assert(offsetof(struct llama_model_params, vocab_only) == 72, "llama_model_params.vocab_only");
_Static_assert(sizeof(struct llama_context_params) == 160, "llama_context_params layout");
_Static_assert(offsetof(struct llama_context_params, abort_callback) == 112, "llama_context_params.abort_callback");
_Static_assert(offsetof(struct llama_context_params, embeddings) == 128, "llama_context_params.embeddings");
_Static_assert(offsetof(struct llama_context_params, ctx_other) == 152, "llama_context_params.ctx_other");
_Static_assert(sizeof(struct llama_batch) == 56, "llama_batch layout");
_Static_assert(sizeof(struct llama_perf_context_data) == 48, "llama_perf_context_data layout");
_Static_assert(sizeof(llama_token_data) == 12, "llama_token_data layout");
_Static_assert(sizeof(llama_token_data_array) == 32, "llama_token_data_array layout");
_Static_assert(offsetof(llama_token_data_array, selected) == 16, "llama_token_data_array.selected");
_Static_assert(offsetof(llama_token_data_array, sorted) == 24, "llama_token_data_array.sorted");
#endif
