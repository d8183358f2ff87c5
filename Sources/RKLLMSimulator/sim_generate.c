/*
 * sim_generate.c — the body of a run: simulated prefill, the decode loop
 * (one callback per step), and the final FINISH callback with perf stats.
 * Everything happens on the thread that called rkllm_run.
 */
#include "sim_internal.h"

#include <signal.h>

/* RKLLMPerfStat.memory_usage_mb: Qwen3-0.6B w8a8 on RK3588 in the runtime's benchmark. */
#define SIM_MEMORY_USAGE_MB 791.0f

int sim_deliver(SimRun *run, LLMCallState state) {
    LLMResultCallback callback = run->sim->callback;
    return callback ? callback(run->results, run->userdata, state) : 0;
}

static int tokens_to_prefill(const SimSlot *slot) {
    return slot->prompt_tokens - slot->cached_tokens;
}

/* Sleeps for every prompt token not served by the prompt cache. On abort,
 * counts as prefilled the tokens whose time has fully elapsed. */
void sim_prefill(SimRun *run) {
    long long us_per_token = run->sim->timing.prefill_us_per_token;
    if (us_per_token < 0) us_per_token = 0;
    int total = 0;
    for (int i = 0; i < run->n_batch; i++) total += tokens_to_prefill(&run->slots[i]);

    double start = sim_now_ms();
    bool completed = sim_sleep_us(us_per_token * total, &run->sim->abort_requested);
    run->prefill_ms = sim_now_ms() - start;

    int done = total;
    if (!completed) {
        run->aborted = true;
        long long elapsed =
            us_per_token > 0 ? (long long)(run->prefill_ms * 1000.0 / (double)us_per_token) : 0;
        done = elapsed < total ? (int)elapsed : total;
    }
    /* Batch elements are prefilled one after the other. */
    for (int i = 0; i < run->n_batch; i++) {
        int wanted = tokens_to_prefill(&run->slots[i]);
        run->slots[i].prefilled_tokens = wanted < done ? wanted : done;
        done -= run->slots[i].prefilled_tokens;
    }
}

static bool can_generate(const SimRun *run, int i) {
    const SimSlot *slot = &run->slots[i];
    long long kv = (long long)run->sim->kv_tokens[i] + slot->cached_tokens +
                   slot->prefilled_tokens + slot->generated_tokens;
    return slot->generated_tokens < run->max_new_tokens && kv < run->sim->param.max_context_len &&
           !sim_faults_slot_done(run->sim, run, slot);
}

/* Marks the slots that are done; returns how many can still generate. */
static int update_finished(SimRun *run) {
    int active = 0;
    for (int i = 0; i < run->n_batch; i++) {
        SimSlot *slot = &run->slots[i];
        if (!slot->finished && !can_generate(run, i)) slot->finished = true;
        if (!slot->finished) active++;
    }
    return active;
}

/* One token for every active slot into run->results; returns the step's state:
 * WAITING only when every token of the step is an incomplete character. */
static LLMCallState produce_step(SimRun *run) {
    int normal = 0;
    for (int i = 0; i < run->n_batch; i++) {
        SimSlot *slot = &run->slots[i];
        RKLLMResult *result = &run->results[i];
        *result = (RKLLMResult){.token_id = -1};
        if (slot->finished) continue;
        int32_t token_id = 0;
        slot->last_kind = sim_faults_next(run->sim, slot, &token_id);
        if (slot->last_kind == SIM_TOKEN_END) { /* not reached: can_generate checks it */
            slot->finished = true;
            continue;
        }
        result->text = slot->output.text.data;
        result->token_id = token_id;
        slot->generated_tokens++;
        if (slot->last_kind == SIM_TOKEN_NORMAL) normal++;
    }
    if (normal == 0) return RKLLM_RUN_WAITING;
    /* A NORMAL step carries only whole characters: a WAITING element shows "". */
    for (int i = 0; i < run->n_batch; i++)
        if (!run->slots[i].finished && run->slots[i].last_kind == SIM_TOKEN_WAITING)
            run->results[i].text = "";
    return RKLLM_RUN_NORMAL;
}

/* One decode step for `active` unfinished elements: the NPU reads the weights once for the whole batch,
 * so each further element adds only the fraction batch_factor of a single element's step. */
static long long step_us(const SimTiming *timing, int active) {
    double factor = 1.0 + (double)(active - 1) * timing->batch_factor;
    return (long long)((double)timing->decode_us_per_token * factor);
}

static void decode(SimRun *run) {
    const SimTiming *timing = &run->sim->timing;
    double start = sim_now_ms();
    long long steps = 0;
    for (;;) {
        /* Crash simulation: a runtime that dies in the middle of generation. */
        if (timing->crash_after_tokens >= 0 && steps >= timing->crash_after_tokens) raise(SIGSEGV);
        int active = update_finished(run);
        if (active == 0) break;
        /* The first token comes from the prefill's logits, as in a real model; each later one costs a decode. */
        if (steps > 0 && !sim_sleep_us(step_us(timing, active), &run->sim->abort_requested)) {
            run->aborted = true;
            break;
        }
        LLMCallState state = produce_step(run);
        steps++;
        /* 1 = pause: stop now, keep the KV cache. 2 (1.3, free buffers early) = continue. */
        if (sim_deliver(run, state) == 1) {
            run->paused = true;
            break;
        }
    }
    run->generate_ms = sim_now_ms() - start;
}

void sim_finish(SimRun *run) {
    int prefilled = 0, generated = 0;
    for (int i = 0; i < run->n_batch; i++) {
        const SimSlot *slot = &run->slots[i];
        run->results[i] = (RKLLMResult){
            .text = NULL,
            .token_id = -1,
            .perf = {
                .prefill_time_ms = (float)run->prefill_ms,
                .prefill_tokens = slot->prefilled_tokens,
                .generate_time_ms = (float)run->generate_ms,
                .generate_tokens = slot->generated_tokens,
                .memory_usage_mb = SIM_MEMORY_USAGE_MB,
            },
        };
        prefilled += slot->prefilled_tokens;
        generated += slot->generated_tokens;
    }
    /* The KV and the event log are up to date before the caller hears FINISH. */
    sim_kv_commit(run);
    sim_event("finish prefill_tokens=%d generate_tokens=%d aborted=%d", prefilled, generated,
              run->aborted ? 1 : 0);
    sim_faults_log_finish(run);
    sim_deliver(run, RKLLM_RUN_FINISH);
}

void sim_generate(SimRun *run) {
    sim_prefill(run);
    if (!run->aborted) {
        sim_save_prompt_cache(run);
        decode(run);
    }
    sim_finish(run);
}
