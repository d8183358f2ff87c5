/*
 * sim_lora.c — LoRA adapters: rkllm_load_lora reads an adapter file and keeps
 * it under its name; a run whose RKLLMInferParam.lora_params names one answers
 * with the adapter's change.
 *
 * Adapter file: the 9 magic bytes "RKLLMSIM1" followed by a flat JSON object
 * with optional "lora_prefix" (string) and "filler" (string). With the
 * adapter, an echo answer is the adapter's lora_prefix followed by the echo
 * text; a filler answer uses the adapter's filler, or without one the
 * lora_prefix followed by the model's filler words.
 *
 * rkllm_load_lora fails (-1, one "E RKLLM:" line) for a NULL adapter or path,
 * an unreadable or invalid file, a name that is empty or already loaded, and
 * while a run is in progress. A run naming an adapter that is not loaded is an
 * error (ERROR callback, -1). Event log: "load_lora name=N scale=S"; a run line
 * ends with " lora=N" when the run uses an adapter.
 */
#define _POSIX_C_SOURCE 200809L

#include "sim_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIM_LORA_MAGIC "RKLLMSIM1"
#define SIM_LORA_MAGIC_LEN 9
/* The header must fit in the first 64 KiB of the file. */
#define SIM_LORA_HEADER_MAX (1u << 16)

/* The simulator's default filler (sim_output.c), for an adapter that only prefixes it. */
static const char DEFAULT_FILLER[] = "The quick brown fox jumps over the lazy dog. ";
static const char ECHO_OPEN[] = "[[echo]]";

/* Reads the adapter file's header into *lora (name not set); -1 with a reason. */
static int read_adapter(const char *path, SimLora *lora, char *reason, size_t reason_cap) {
    FILE *file = fopen(path, "rb");
    if (!file) {
        snprintf(reason, reason_cap, "cannot open");
        return -1;
    }
    char *head = malloc(SIM_LORA_HEADER_MAX);
    size_t len = head ? fread(head, 1, SIM_LORA_HEADER_MAX, file) : 0;
    fclose(file);
    if (!head) {
        snprintf(reason, reason_cap, "out of memory");
        return -1;
    }
    int status = -1;
    SimJsonObject json = {0};
    if (len < SIM_LORA_MAGIC_LEN || memcmp(head, SIM_LORA_MAGIC, SIM_LORA_MAGIC_LEN) != 0) {
        snprintf(reason, reason_cap, "bad magic");
    } else if (sim_json_parse_object(head + SIM_LORA_MAGIC_LEN, len - SIM_LORA_MAGIC_LEN, &json, reason,
                                     reason_cap) == 0) {
        const SimJsonMember *prefix = sim_json_find(&json, "lora_prefix");
        const SimJsonMember *filler = sim_json_find(&json, "filler");
        lora->prefix = sim_strdup(prefix && prefix->type == SIM_JSON_STRING ? prefix->string : "");
        if (filler && filler->type == SIM_JSON_STRING) lora->filler = sim_strdup(filler->string);
        status = lora->prefix ? 0 : -1;
        if (status != 0) snprintf(reason, reason_cap, "out of memory");
    }
    sim_json_free(&json);
    free(head);
    return status;
}

static const SimLora *find_adapter(const SimHandle *sim, const char *name) {
    for (size_t i = 0; i < sim->lora_count; i++)
        if (strcmp(sim->loras[i].name, name) == 0) return &sim->loras[i];
    return NULL;
}

RKLLM_SIM_EXPORT int rkllm_load_lora(LLMHandle handle, RKLLMLoraAdapter *lora_adapter) {
    SimHandle *sim = sim_handle_from(handle);
    if (!sim) return -1;
    if (!lora_adapter || !lora_adapter->lora_adapter_path) {
        sim_log_error("lora_adapter or lora_adapter_path is NULL");
        return -1;
    }
    const char *name = lora_adapter->lora_adapter_name;
    if (!name || !*name) {
        sim_log_error("lora_adapter_name is empty");
        return -1;
    }
    if (sim_busy(sim, "load a lora adapter")) return -1;
    if (find_adapter(sim, name)) {
        sim_log_error("lora adapter %s is already loaded", name);
        return -1;
    }
    SimLora lora = {.scale = lora_adapter->scale};
    char reason[256];
    if (read_adapter(lora_adapter->lora_adapter_path, &lora, reason, sizeof reason) != 0) {
        sim_log_error("failed to load lora adapter %s from %s (%s)", name, lora_adapter->lora_adapter_path,
                      reason);
        sim_lora_free(&lora);
        return -1;
    }
    SimLora *grown = realloc(sim->loras, (sim->lora_count + 1) * sizeof *grown);
    lora.name = sim_strdup(name);
    if (!grown || !lora.name) {
        if (grown) sim->loras = grown;
        sim_log_error("out of memory");
        sim_lora_free(&lora);
        return -1;
    }
    sim->loras = grown;
    sim->loras[sim->lora_count++] = lora;
    sim_event("load_lora name=%s scale=%.2f", name, (double)lora.scale);
    return 0;
}

void sim_lora_free(SimLora *lora) {
    free(lora->name);
    free(lora->prefix);
    free(lora->filler);
    *lora = (SimLora){0};
}

int sim_lora_select(const SimHandle *sim, const RKLLMInferParam *infer, const SimLora **out) {
    *out = NULL;
    const char *name = infer && infer->lora_params ? infer->lora_params->lora_adapter_name : NULL;
    if (!name) return 0;
    *out = find_adapter(sim, name);
    if (*out) return 0;
    sim_log_error("lora adapter %s is not loaded", name);
    return -1;
}

/* A new string: `text` with `insert` put in at byte `at`. */
static char *spliced(const char *text, size_t at, const char *insert) {
    SimBuf buf = {0};
    if (sim_buf_append(&buf, text, at) != 0 || sim_buf_append_str(&buf, insert) != 0 ||
        sim_buf_append_str(&buf, text + at) != 0) {
        sim_buf_free(&buf);
        return NULL;
    }
    return buf.data;
}

int sim_lora_output_init(SimOutput *out, const SimLora *lora, const char *prompt, const char *filler,
                         char **owned) {
    *owned = NULL;
    if (!lora) {
        sim_output_init(out, prompt, filler);
        return 0;
    }
    const char *open = NULL;
    for (const char *hit = strstr(prompt, ECHO_OPEN); hit; hit = strstr(hit + 1, ECHO_OPEN)) open = hit;
    if (open) {
        /* The echo answer starts with the prefix: the prefix goes in right after the last marker. */
        *owned = spliced(prompt, (size_t)(open - prompt) + strlen(ECHO_OPEN), lora->prefix);
        if (!*owned) return -1;
        sim_output_init(out, *owned, filler);
        return 0;
    }
    if (lora->filler) {
        sim_output_init(out, prompt, lora->filler);
        return 0;
    }
    *owned = spliced(lora->prefix, strlen(lora->prefix), filler && *filler ? filler : DEFAULT_FILLER);
    if (!*owned) return -1;
    sim_output_init(out, prompt, *owned);
    return 0;
}
