/*
 * sim_faults.c — runtime 1.3.0's known faults, reproduced behind switches so
 * that the engine's workarounds can be tested on both layouts. Each switch is
 * a model-file key or an environment variable (the environment wins), read at
 * rkllm_init:
 *
 *  real token ids (key real_token_ids true; implied by either fault below):
 *    answer tokens get ids SIM_FIRST_TOKEN_ID, +1, ... and, once the echo
 *    answer is over, one more token whose id is the model's real EOS (key
 *    eos_token_id, default 151645) and whose text is "" (skip_special_token),
 *    as a runtime that hands the EOS token to the callback.
 *  RKLLM_SIM_FAULT_WRONG_EOS=1 (key fault_wrong_eos): rknn-llm #534, a model
 *    from toolkit 1.2.2/1.2.3 on 1.3.0 — the EOS token is not recognised: after
 *    it come filler words until max_new_tokens (or the context is full). The
 *    FINISH event line is followed by "tokens slot=I eos=1 after_eos=N": how
 *    many tokens the run produced after the EOS.
 *  RKLLM_SIM_FAULT_TWO_PHASE_THINKING=1 (key fault_two_phase_thinking): a run
 *    whose echo answer holds "</think>" ends (FINISH, no EOS) right before it,
 *    never sending the tag; a continuation (a prompt that ends with "</think>"
 *    after the echo, sim_output.c) answers at most RKLLM_SIM_PHASE2_TOKENS
 *    (key phase2_tokens, default 20) tokens, the EOS token included, and then
 *    FINISHes without the EOS when the answer is longer: 1.3.0's phase 2 that
 *    stops after 13-27 tokens, modelled as a fixed count so a test can pick an
 *    answer that fits or one that is cut.
 *  RKLLM_SIM_FAULT_INIT_OOM=N (key fault_init_oom) with RKLLM_SIM_NPU_LEDGER=DIR
 *    (key npu_ledger): rknn-llm #522, a second rkllm_init that runs out of NPU
 *    memory segfaults instead of returning -1. Every model initialised puts a
 *    file <pid>.<seq> in DIR and removes it at rkllm_destroy; files of dead
 *    processes are ignored (and removed). The init that would make the N-th
 *    live model on the machine logs "init segfault reason=npu_memory live=K"
 *    and raises SIGSEGV.
 */
#define _POSIX_C_SOURCE 200809L

#include "sim_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SIM_FIRST_TOKEN_ID 1000
#define SIM_DEFAULT_EOS 151645
#define SIM_DEFAULT_PHASE2_TOKENS 20

static const char THINK_END[] = "</think>";

static bool json_bool(const SimJsonObject *json, const char *key) {
    const SimJsonMember *member = json ? sim_json_find(json, key) : NULL;
    if (!member) return false;
    if (member->type == SIM_JSON_BOOL) return member->boolean;
    return member->type == SIM_JSON_INTEGER && member->integer != 0;
}

static long long json_int(const SimJsonObject *json, const char *key, long long fallback) {
    const SimJsonMember *member = json ? sim_json_find(json, key) : NULL;
    return member && member->type == SIM_JSON_INTEGER ? member->integer : fallback;
}

void sim_faults_read(const SimJsonObject *json, SimFaults *faults) {
    *faults = (SimFaults){0};
    faults->eos_token_id = json_int(json, "eos_token_id", SIM_DEFAULT_EOS);
    faults->wrong_eos = sim_env_int("RKLLM_SIM_FAULT_WRONG_EOS", json_bool(json, "fault_wrong_eos")) != 0;
    faults->two_phase_thinking =
        sim_env_int("RKLLM_SIM_FAULT_TWO_PHASE_THINKING", json_bool(json, "fault_two_phase_thinking")) != 0;
    faults->phase2_tokens =
        sim_env_int("RKLLM_SIM_PHASE2_TOKENS", json_int(json, "phase2_tokens", SIM_DEFAULT_PHASE2_TOKENS));
    faults->init_oom = sim_env_int("RKLLM_SIM_FAULT_INIT_OOM", json_int(json, "fault_init_oom", 0));
    faults->real_token_ids = json_bool(json, "real_token_ids") || faults->wrong_eos || faults->two_phase_thinking;
    const char *ledger = getenv("RKLLM_SIM_NPU_LEDGER");
    const SimJsonMember *key = json ? sim_json_find(json, "npu_ledger") : NULL;
    if (!(ledger && *ledger) && key && key->type == SIM_JSON_STRING) ledger = key->string;
    faults->npu_ledger = ledger && *ledger ? sim_strdup(ledger) : NULL;
}

void sim_faults_free(SimFaults *faults) {
    free(faults->npu_ledger);
    faults->npu_ledger = NULL;
}

/* ---- the NPU ledger ---- */

/* Live entries of the ledger; the files of dead processes are removed. */
static int live_entries(const char *dir) {
    DIR *listing = opendir(dir);
    if (!listing) return 0;
    int live = 0;
    struct dirent *entry;
    while ((entry = readdir(listing)) != NULL) {
        char *end = NULL;
        long pid = strtol(entry->d_name, &end, 10);
        if (end == entry->d_name || *end != '.' || pid <= 0) continue;
        if (kill((pid_t)pid, 0) == 0 || errno == EPERM) {
            live++;
            continue;
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, entry->d_name);
        unlink(path);
    }
    closedir(listing);
    return live;
}

void sim_faults_claim_npu(SimHandle *sim) {
    const SimFaults *faults = &sim->model.faults;
    if (!faults->npu_ledger) return;
    int live = live_entries(faults->npu_ledger);
    if (faults->init_oom > 0 && live + 1 >= faults->init_oom) {
        sim_event("init segfault reason=npu_memory live=%d", live);
        raise(SIGSEGV);
        /* A handler that returned (Swift's backtracer does, for a raised signal): die of it all the same. */
        signal(SIGSEGV, SIG_DFL);
        raise(SIGSEGV);
    }
    static atomic_int sequence;
    char path[4096];
    snprintf(path, sizeof path, "%s/%ld.%d", faults->npu_ledger, (long)getpid(),
             atomic_fetch_add(&sequence, 1));
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return;
    close(fd);
    sim->npu_ledger_entry = sim_strdup(path);
}

void sim_faults_release_npu(SimHandle *sim) {
    if (!sim->npu_ledger_entry) return;
    unlink(sim->npu_ledger_entry);
    free(sim->npu_ledger_entry);
    sim->npu_ledger_entry = NULL;
}

/* ---- tokens ---- */

static bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Whether the raw prompt ends with "</think>" (and white space): a continuation. */
static bool ends_with_think_end(const char *prompt) {
    size_t len = strlen(prompt), end_len = strlen(THINK_END);
    while (len > 0 && is_space(prompt[len - 1])) len--;
    return len >= end_len && memcmp(prompt + len - end_len, THINK_END, end_len) == 0;
}

void sim_faults_prepare_slot(const SimHandle *sim, SimSlot *slot, const char *raw_prompt) {
    slot->faults = (SimSlotFaults){0};
    SimOutput *out = &slot->output;
    if (!sim->model.faults.two_phase_thinking || !out->echo) return;
    if (ends_with_think_end(raw_prompt)) {
        slot->faults.phase = 2;
        return;
    }
    size_t end_len = strlen(THINK_END);
    for (size_t at = 0; at + end_len <= out->echo_len; at++) {
        if (memcmp(out->echo + at, THINK_END, end_len) == 0) {
            out->echo_len = at; /* FINISH right after the reasoning; the tag is never sent */
            slot->faults.phase = 1;
            return;
        }
    }
}

bool sim_faults_slot_done(const SimHandle *sim, const SimRun *run, const SimSlot *slot) {
    (void)run;
    const SimFaults *faults = &sim->model.faults;
    if (slot->faults.phase == 2 && slot->generated_tokens >= faults->phase2_tokens) return true;
    if (!sim_output_done(&slot->output)) return false;
    if (slot->faults.phase == 1 || !faults->real_token_ids) return true;
    return slot->faults.eos_sent; /* the EOS token comes first */
}

SimTokenKind sim_faults_next(const SimHandle *sim, SimSlot *slot, int32_t *token_id) {
    const SimFaults *faults = &sim->model.faults;
    if (faults->real_token_ids && !slot->faults.eos_sent && slot->faults.phase != 1 &&
        sim_output_done(&slot->output)) {
        slot->faults.eos_sent = true;
        slot->output.text.len = 0;
        sim_buf_append(&slot->output.text, "", 0);
        *token_id = (int32_t)faults->eos_token_id;
        /* #534: the runtime does not take it for the end; the model rambles on. */
        if (faults->wrong_eos) slot->output.echo = NULL;
        return SIM_TOKEN_NORMAL;
    }
    SimTokenKind kind = sim_output_next(&slot->output);
    if (slot->faults.eos_sent) slot->faults.after_eos++;
    *token_id = faults->real_token_ids ? SIM_FIRST_TOKEN_ID + slot->generated_tokens : slot->generated_tokens;
    return kind;
}

void sim_faults_log_finish(const SimRun *run) {
    if (!run->sim->model.faults.real_token_ids) return;
    for (int i = 0; i < run->n_batch; i++) {
        const SimSlot *slot = &run->slots[i];
        sim_event("tokens slot=%d eos=%d after_eos=%d phase=%d generated=%d", i, slot->faults.eos_sent ? 1 : 0,
                  slot->faults.after_eos, slot->faults.phase, slot->generated_tokens);
    }
}
