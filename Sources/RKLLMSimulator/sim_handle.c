/*
 * sim_handle.c — what an LLMHandle points to: creation from the init
 * parameters, checks of incoming handles, and freeing.
 */
#include "sim_internal.h"

#include <stdlib.h>

SimHandle *sim_handle_from(LLMHandle handle) {
    SimHandle *sim = handle;
    if (sim && sim->magic == SIM_HANDLE_MAGIC) return sim;
    sim_log_error("invalid handle");
    return NULL;
}

bool sim_busy(SimHandle *sim, const char *action) {
    if (!atomic_load(&sim->running)) return false;
    sim_log_error("cannot %s while a run is in progress", action);
    return true;
}

void sim_handle_free(SimHandle *sim) {
    sim->magic = 0;
    sim_model_free(&sim->model);
    sim_template_free(&sim->tpl);
    free(sim->prompt_cache);
    free(sim->kv_tokens);
    free(sim->kv_system_tokens);
    for (size_t i = 0; i < sim->lora_count; i++) free(sim->lora_names[i]);
    free(sim->lora_names);
    free(sim->img_start);
    free(sim->img_end);
    free(sim->img_content);
    free(sim);
}

SimHandle *sim_handle_new(const RKLLMParam *param, SimModel *model, int max_context_len) {
    SimHandle *sim = calloc(1, sizeof *sim);
    if (!sim) return NULL;
    sim->magic = SIM_HANDLE_MAGIC;
    sim->param = *param;
    sim->param.model_path = NULL; /* the caller's string is not kept */
    sim->param.max_context_len = max_context_len;
#if RKLLM_SIM_ABI == 12
    /* The image tags are kept as copies: the caller's strings may go once rkllm_init returns. */
    sim->img_start = sim_strdup(param->img_start);
    sim->img_end = sim_strdup(param->img_end);
    sim->img_content = sim_strdup(param->img_content);
    sim->param.img_start = sim->param.img_end = sim->param.img_content = NULL;
#endif
    sim->n_batch = param->extend_param.n_batch > 0 ? param->extend_param.n_batch : 1;
    sim->timing = (SimTiming){
        .prefill_us_per_token = sim_env_int("RKLLM_SIM_PREFILL_US_PER_TOKEN", 1560),
        .decode_us_per_token = sim_env_int("RKLLM_SIM_DECODE_US_PER_TOKEN", 30300),
        .batch_factor = sim_env_double("RKLLM_SIM_BATCH_FACTOR", 0.15),
        .crash_after_tokens = sim_env_int("RKLLM_SIM_CRASH_AFTER_TOKENS", -1),
    };
    sim->model = *model;
    *model = (SimModel){0};
    sim->kv_tokens = calloc((size_t)sim->n_batch, sizeof *sim->kv_tokens);
    sim->kv_system_tokens = calloc((size_t)sim->n_batch, sizeof *sim->kv_system_tokens);
    if (!sim->kv_tokens || !sim->kv_system_tokens || sim_template_init(&sim->tpl) != 0) {
        sim_handle_free(sim);
        return NULL;
    }
    atomic_init(&sim->abort_requested, false);
    atomic_init(&sim->running, false);
    return sim;
}
