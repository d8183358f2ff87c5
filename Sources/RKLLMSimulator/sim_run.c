/*
 * sim_run.c — rkllm_run / rkllm_run_async: check the request, assemble each
 * batch element's prompt (a multimodal one through sim_multimodal.c), check the context, log, then hand over to
 * sim_generate (sim_generate.c).
 */
#include "sim_internal.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* An ERROR callback (every result: text NULL, token_id -1), then -1. */
static int fail_run(SimRun *run) {
    for (int i = 0; i < run->n_batch; i++) run->results[i] = (RKLLMResult){.token_id = -1};
    sim_deliver(run, RKLLM_RUN_ERROR);
    return -1;
}

static int effective_max_new_tokens(const SimHandle *sim, const RKLLMInferParam *infer) {
    int limit = sim->param.max_new_tokens;
#if RKLLM_SIM_ABI == 13
    if (infer && infer->max_new_tokens > 0) limit = infer->max_new_tokens;
#else
    (void)infer;
#endif
    return limit > 0 ? limit : INT_MAX; /* no limit: stop when the context is full */
}

/* Assembles slot i's prompt and counts its tokens; -1 (message printed) if unsupported. */
static int prepare_slot(SimRun *run, int i, const RKLLMInput *input) {
    SimHandle *sim = run->sim;
    SimSlot *slot = &run->slots[i];
    slot->input = input;
    const char *raw = input->prompt_input, *body = raw;
    if (input->input_type == RKLLM_INPUT_MULTIMODAL) {
        if (sim_multimodal_prepare(sim, input, &slot->multimodal) != 0) return -1;
        raw = input->multimodal_input.prompt;
        body = slot->multimodal.prompt;
    } else if (input->input_type != RKLLM_INPUT_PROMPT) {
        sim_log_error("input type %d is not supported by the simulator", (int)input->input_type);
        return -1;
    } else if (!input->prompt_input) {
        sim_log_error("prompt_input is NULL");
        return -1;
    }
    bool empty_kv = sim->kv_tokens[i] == 0;
    if (sim_template_assemble(&sim->tpl, input->role, input->enable_thinking, body, empty_kv,
                              &slot->prompt) != 0) {
        sim_log_error("out of memory");
        return -1;
    }
    slot->prompt_tokens = sim_tokens_for_bytes(strlen(slot->prompt.text)) + slot->multimodal.image_tokens;
    /* A prompt cache is matched against the start of the context only. */
    slot->cached_tokens = empty_kv ? sim_prompt_cache_tokens(sim, &slot->prompt) : 0;
    if (sim_lora_output_init(&slot->output, run->lora, raw, sim->model.filler, &slot->lora_text) != 0) {
        sim_log_error("out of memory");
        return -1;
    }
    if (slot->multimodal.answer) {
        slot->output.echo = slot->multimodal.answer;
        slot->output.echo_len = strlen(slot->multimodal.answer);
    }
    sim_faults_prepare_slot(sim, slot, raw);
    return 0;
}

static int check_context(const SimRun *run) {
    int max_context_len = run->sim->param.max_context_len;
    for (int i = 0; i < run->n_batch; i++) {
        long long needed = (long long)run->sim->kv_tokens[i] + run->slots[i].prompt_tokens;
        if (needed > max_context_len) {
            sim_log_error("the input has %lld tokens, which exceeds the max context length %d",
                          needed, max_context_len);
            return -1;
        }
    }
    return 0;
}

static void log_run(const SimRun *run, const RKLLMInferParam *infer) {
    const RKLLMParam *p = &run->sim->param;
    int top_k = p->top_k;
    float temperature = p->temperature, top_p = p->top_p, repeat_penalty = p->repeat_penalty;
#if RKLLM_SIM_ABI == 13
    const RKLLMSamplingParam *sampling = infer ? infer->sampling_params : NULL;
    if (sampling) {
        top_k = sampling->top_k;
        temperature = sampling->temperature;
        top_p = sampling->top_p;
        repeat_penalty = sampling->repeat_penalty;
    }
#else
    (void)infer;
#endif
    for (int i = 0; i < run->n_batch; i++) {
        const SimSlot *slot = &run->slots[i];
        const char *role = slot->input->role ? slot->input->role : "user";
        sim_event("run role=%s thinking=%d keep_history=%d max_new_tokens=%d temperature=%.2f "
                  "top_k=%d top_p=%.2f repeat_penalty=%.2f prompt_tokens=%d cached_tokens=%d%s%s",
                  role, slot->input->enable_thinking ? 1 : 0, run->keep_history ? 1 : 0,
                  run->max_new_tokens, (double)temperature, top_k, (double)top_p,
                  (double)repeat_penalty, slot->prompt_tokens, slot->cached_tokens,
                  run->lora ? " lora=" : "", run->lora ? run->lora->name : "");
    }
}

/* Validates and prepares the run, then generates; returns rkllm_run's result. */
static int execute(SimRun *run, RKLLMInput *inputs, RKLLMInferParam *infer) {
    if (!inputs) {
        sim_log_error("input is NULL");
        return fail_run(run);
    }
    RKLLMInferMode mode = infer ? infer->mode : RKLLM_INFER_GENERATE;
    if (mode != RKLLM_INFER_GENERATE && mode != RKLLM_INFER_GET_LAST_HIDDEN_LAYER &&
        mode != RKLLM_INFER_GET_LOGITS) {
        sim_log_error("infer mode %d is not supported by the simulator", (int)infer->mode);
        return fail_run(run);
    }
    if (sim_lora_select(run->sim, infer, &run->lora) != 0) return fail_run(run);
    for (int i = 0; i < run->n_batch; i++)
        if (prepare_slot(run, i, &inputs[i]) != 0) return fail_run(run);
    if (check_context(run) != 0) return fail_run(run);

    log_run(run, infer);
    if (mode == RKLLM_INFER_GENERATE) sim_generate(run);
    else sim_infer_tensors(run, mode);
    return 0;
}

static void free_run(SimRun *run) {
    for (int i = 0; run->slots && i < run->n_batch; i++) {
        free(run->slots[i].prompt.text);
        sim_output_free(&run->slots[i].output);
        free(run->slots[i].lora_text);
        sim_multimodal_free(&run->slots[i].multimodal);
    }
    free(run->slots);
    free(run->results);
}

static int run_model(LLMHandle handle, RKLLMInput *inputs, RKLLMInferParam *infer, void *userdata) {
    SimHandle *sim = sim_handle_from(handle);
    if (!sim) return -1;
    bool idle = false;
    if (!atomic_compare_exchange_strong(&sim->running, &idle, true)) {
        sim_log_error("the model is busy: a run is already in progress on this handle");
        return -1;
    }
    atomic_store(&sim->abort_requested, false);

    SimRun run = {
        .sim = sim,
        .n_batch = sim->n_batch,
        .slots = calloc((size_t)sim->n_batch, sizeof(SimSlot)),
        .results = calloc((size_t)sim->n_batch, sizeof(RKLLMResult)),
        /* 1.3: a non-NULL run userdata wins over RKLLMCallback.result_userdata. */
        .userdata = userdata ? userdata : sim->callback_userdata,
        .cache_param = infer ? infer->prompt_cache_params : NULL,
        .max_new_tokens = effective_max_new_tokens(sim, infer),
        .keep_history = infer && infer->keep_history != 0,
    };
    int status = -1;
    if (run.slots && run.results) status = execute(&run, inputs, infer);
    else sim_log_error("out of memory");
    free_run(&run);
    atomic_store(&sim->running, false);
    return status;
}

RKLLM_SIM_EXPORT int rkllm_run(LLMHandle handle, RKLLMInput *rkllm_input,
                               RKLLMInferParam *rkllm_infer_params, void *userdata) {
    return run_model(handle, rkllm_input, rkllm_infer_params, userdata);
}

RKLLM_SIM_EXPORT int rkllm_run_async(LLMHandle handle, RKLLMInput *rkllm_input,
                                     RKLLMInferParam *rkllm_infer_params, void *userdata) {
    return run_model(handle, rkllm_input, rkllm_infer_params, userdata);
}
