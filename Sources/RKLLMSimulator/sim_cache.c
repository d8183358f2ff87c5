/*
 * sim_cache.c — the prompt cache (a file "RKLLMSIMCACHE1\n" + assembled
 * prompt text) and the KV cache bookkeeping (token counts per batch element).
 */
#define _POSIX_C_SOURCE 200809L

#include "sim_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIM_CACHE_HEADER "RKLLMSIMCACHE1\n"
#define SIM_CACHE_DEFAULT_PATH "./prompt_cache.bin"

/* ---- prompt cache ---- */

static int read_file(const char *path, SimBuf *content) {
    FILE *file = fopen(path, "rb");
    if (!file) return -1;
    char chunk[4096];
    size_t got;
    int status = sim_buf_append(content, "", 0);
    while (status == 0 && (got = fread(chunk, 1, sizeof chunk, file)) > 0)
        status = sim_buf_append(content, chunk, got);
    if (ferror(file)) status = -1;
    fclose(file);
    return status;
}

static void forget_prompt_cache(SimHandle *sim) {
    free(sim->prompt_cache);
    sim->prompt_cache = NULL;
    sim->prompt_cache_len = 0;
}

RKLLM_SIM_EXPORT int rkllm_load_prompt_cache(LLMHandle handle, const char *prompt_cache_path) {
    SimHandle *sim = sim_handle_from(handle);
    if (!sim || sim_busy(sim, "load a prompt cache")) return -1;
    SimBuf content = {0};
    size_t header_len = strlen(SIM_CACHE_HEADER);
    if (!prompt_cache_path || read_file(prompt_cache_path, &content) != 0 ||
        content.len < header_len || memcmp(content.data, SIM_CACHE_HEADER, header_len) != 0) {
        sim_buf_free(&content);
        sim_log_error("invalid prompt cache file");
        sim_event("load_prompt_cache fail");
        return -1;
    }
    forget_prompt_cache(sim);
    sim->prompt_cache_len = content.len - header_len;
    memmove(content.data, content.data + header_len, sim->prompt_cache_len + 1);
    sim->prompt_cache = content.data;
    sim_event("load_prompt_cache ok");
    return 0;
}

RKLLM_SIM_EXPORT int rkllm_release_prompt_cache(LLMHandle handle) {
    SimHandle *sim = sim_handle_from(handle);
    if (!sim || sim_busy(sim, "release the prompt cache")) return -1;
    forget_prompt_cache(sim);
    sim_event("release_prompt_cache");
    return 0;
}

int sim_prompt_cache_tokens(const SimHandle *sim, const SimPrompt *prompt) {
    if (!sim->prompt_cache || sim->prompt_cache_len == 0) return 0;
    if (strncmp(prompt->text, sim->prompt_cache, sim->prompt_cache_len) != 0) return 0;
    return sim_tokens_for_bytes(sim->prompt_cache_len);
}

void sim_save_prompt_cache(const SimRun *run) {
    const RKLLMPromptCacheParam *param = run->cache_param;
    if (!param || param->save_prompt_cache != 1) return;
    const char *path = param->prompt_cache_path ? param->prompt_cache_path : SIM_CACHE_DEFAULT_PATH;
    const char *text = run->slots[0].prompt.text;
    FILE *file = fopen(path, "wb");
    bool ok = file && fputs(SIM_CACHE_HEADER, file) >= 0 && fputs(text, file) >= 0;
    if (file && fclose(file) != 0) ok = false;
    if (!ok) {
        sim_log_error("failed to save the prompt cache to %s", path);
        return;
    }
    sim_event("save_prompt_cache path=%s", path);
}

/* ---- KV cache ---- */

void sim_kv_commit(const SimRun *run) {
    SimHandle *sim = run->sim;
    for (int i = 0; i < run->n_batch; i++) {
        const SimSlot *slot = &run->slots[i];
        if (!run->keep_history && !run->paused) {
            sim->kv_tokens[i] = 0;
            sim->kv_system_tokens[i] = 0;
            continue;
        }
        int added = slot->cached_tokens + slot->prefilled_tokens + slot->generated_tokens;
        if (slot->prompt.system_len > 0) {
            /* The system part went into an empty KV: remember how much of it landed. */
            int system = sim_tokens_for_bytes(slot->prompt.system_len);
            sim->kv_system_tokens[i] = system < added ? system : added;
        }
        sim->kv_tokens[i] += added;
    }
}

RKLLM_SIM_EXPORT int rkllm_get_kv_cache_size(LLMHandle handle, int *cache_sizes) {
    SimHandle *sim = sim_handle_from(handle);
    if (!sim || !cache_sizes) return -1;
    for (int i = 0; i < sim->n_batch; i++) cache_sizes[i] = sim->kv_tokens[i];
    return 0;
}

/* Removes positions [start, end) of batch element i. */
static void clear_range(SimHandle *sim, int i, int start, int end) {
    int size = sim->kv_tokens[i];
    if (start < 0) start = 0;
    if (end > size) end = size;
    if (start >= end) return;
    int system = sim->kv_system_tokens[i];
    int system_removed = (end < system ? end : system) - start;
    if (system_removed > 0) sim->kv_system_tokens[i] = system - system_removed;
    sim->kv_tokens[i] = size - (end - start);
}

RKLLM_SIM_EXPORT int rkllm_clear_kv_cache(LLMHandle handle, int keep_system_prompt, int *start_pos,
                                          int *end_pos) {
    SimHandle *sim = sim_handle_from(handle);
    if (!sim || sim_busy(sim, "clear the kv cache")) return -1;
    if ((start_pos == NULL) != (end_pos == NULL)) {
        sim_log_error("start_pos and end_pos must both be set or both be NULL");
        return -1;
    }
    for (int i = 0; i < sim->n_batch; i++) {
        if (start_pos && start_pos[i] < end_pos[i]) {
            clear_range(sim, i, start_pos[i], end_pos[i]);
        } else if (!start_pos) {
            sim->kv_tokens[i] = keep_system_prompt ? sim->kv_system_tokens[i] : 0;
            if (!keep_system_prompt) sim->kv_system_tokens[i] = 0;
        }
    }
    sim_event("clear_kv_cache keep_system_prompt=%d", keep_system_prompt);
    return 0;
}
