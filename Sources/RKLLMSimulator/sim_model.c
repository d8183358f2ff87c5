/*
 * sim_model.c — reads a simulated model file: the 9 magic bytes "RKLLMSIM1"
 * immediately followed by a flat JSON object with at least
 * "target_platform" (string), "max_context_limit" (integer) and
 * "model_dtype" (string); optional "filler" (string), "embedding_size",
 * "vocab_size", "yes_token", "no_token" (integers, see sim_infer_modes.c). Anything after the
 * object is ignored (a real file would carry the weights there).
 * Also rkllm_init's checks: NPU driver, model file, platform, context length.
 */
#define _POSIX_C_SOURCE 200809L

#include "sim_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define SIM_MODEL_MAGIC "RKLLMSIM1"
#define SIM_MODEL_MAGIC_LEN 9
/* The header must fit in the first MiB of the file. */
#define SIM_MODEL_HEADER_MAX (1u << 20)

/* Reads up to SIM_MODEL_HEADER_MAX bytes; -1 if the file cannot be opened or read. */
static int read_head(const char *path, SimBuf *head) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    char chunk[4096];
    for (;;) {
        ssize_t got = read(fd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0 || sim_buf_append(head, chunk, (size_t)got) != 0) {
            close(fd);
            return -1;
        }
        if (got == 0 || head->len >= SIM_MODEL_HEADER_MAX) break;
    }
    close(fd);
    if (!head->data) sim_buf_append(head, "", 0);
    return 0;
}

static const char *required_string(const SimJsonObject *json, const char *key, char *reason,
                                   size_t reason_cap) {
    const SimJsonMember *member = sim_json_find(json, key);
    if (member && member->type == SIM_JSON_STRING && member->string[0]) return member->string;
    snprintf(reason, reason_cap, "missing or invalid \"%s\"", key);
    return NULL;
}

/* Copies the metadata the simulator uses out of the header object. */
static SimModelStatus fill_model(const SimJsonObject *json, SimModel *model, char *reason,
                                 size_t reason_cap) {
    const char *platform = required_string(json, "target_platform", reason, reason_cap);
    if (!platform) return SIM_MODEL_INVALID;
    const char *dtype = required_string(json, "model_dtype", reason, reason_cap);
    if (!dtype) return SIM_MODEL_INVALID;
    const SimJsonMember *limit = sim_json_find(json, "max_context_limit");
    if (!limit || limit->type != SIM_JSON_INTEGER || limit->integer <= 0) {
        snprintf(reason, reason_cap, "missing or invalid \"max_context_limit\"");
        return SIM_MODEL_INVALID;
    }
    const SimJsonMember *filler = sim_json_find(json, "filler");
    long long sizes[4] = {1536, 151936, 9693, 2152};
    const char *size_keys[4] = {"embedding_size", "vocab_size", "yes_token", "no_token"};
    for (int k = 0; k < 4; k++) {
        const SimJsonMember *member = sim_json_find(json, size_keys[k]);
        if (!member) continue;
        if (member->type != SIM_JSON_INTEGER || member->integer < (k < 2 ? 1 : 0) || member->integer > (1 << 24)) {
            snprintf(reason, reason_cap, "invalid \"%s\"", size_keys[k]);
            return SIM_MODEL_INVALID;
        }
        sizes[k] = member->integer;
    }
    if (sizes[2] >= sizes[1] || sizes[3] >= sizes[1]) {
        snprintf(reason, reason_cap, "\"yes_token\" and \"no_token\" must be less than \"vocab_size\"");
        return SIM_MODEL_INVALID;
    }

    model->target_platform = sim_strdup(platform);
    model->model_dtype = sim_strdup(dtype);
    model->max_context_limit = limit->integer;
    model->embedding_size = sizes[0];
    model->vocab_size = sizes[1];
    model->yes_token = sizes[2];
    model->no_token = sizes[3];
    if (filler && filler->type == SIM_JSON_STRING) model->filler = sim_strdup(filler->string);
    sim_faults_read(json, &model->faults);
    if (!model->target_platform || !model->model_dtype) {
        snprintf(reason, reason_cap, "out of memory");
        return SIM_MODEL_INVALID;
    }
    return SIM_MODEL_OK;
}

SimModelStatus sim_model_load(const char *path, SimModel *model, char *reason, size_t reason_cap) {
    *model = (SimModel){0};
    SimBuf head = {0};
    if (!path || read_head(path, &head) != 0) {
        sim_buf_free(&head);
        snprintf(reason, reason_cap, "cannot open");
        return SIM_MODEL_UNREADABLE;
    }

    SimModelStatus status = SIM_MODEL_INVALID;
    SimJsonObject json = {0};
    if (head.len == 0) {
        snprintf(reason, reason_cap, "empty file");
    } else if (head.len < SIM_MODEL_MAGIC_LEN ||
               memcmp(head.data, SIM_MODEL_MAGIC, SIM_MODEL_MAGIC_LEN) != 0) {
        snprintf(reason, reason_cap, "bad magic");
    } else if (sim_json_parse_object(head.data + SIM_MODEL_MAGIC_LEN,
                                     head.len - SIM_MODEL_MAGIC_LEN, &json, reason,
                                     reason_cap) == 0) {
        status = fill_model(&json, model, reason, reason_cap);
    }
    sim_json_free(&json);
    sim_buf_free(&head);
    if (status != SIM_MODEL_OK) sim_model_free(model);
    return status;
}

void sim_model_free(SimModel *model) {
    free(model->target_platform);
    free(model->model_dtype);
    free(model->filler);
    sim_faults_free(&model->faults);
    *model = (SimModel){0};
}

/* Checks the environment, the model file and the parameters; on failure prints
 * the runtime's error line and returns the event-log reason. */
const char *sim_model_check_init(const RKLLMParam *param, SimModel *model, int *max_context_len) {
    if (sim_env_int("RKLLM_SIM_NO_DRIVER", 0) == 1) {
        sim_log_error("failed to open the rknpu device, please check that the NPU driver is loaded");
        return "driver";
    }
    char reason[256];
    SimModelStatus status = sim_model_load(param->model_path, model, reason, sizeof reason);
    if (status == SIM_MODEL_UNREADABLE) {
        sim_log_error("failed to open model file %s", param->model_path ? param->model_path : "(null)");
        return "model";
    }
    if (status == SIM_MODEL_INVALID) {
        sim_log_error("invalid rkllm model! (%s)", reason);
        return "model";
    }
    const char *platform = getenv("RKLLM_SIM_PLATFORM");
    if (!platform || !*platform) platform = "rk3588";
    if (strcasecmp(model->target_platform, platform) != 0) {
        sim_log_error("The model target_platform[%s] does not match the current platform[%s]!",
                      model->target_platform, platform);
        return "platform";
    }
    *max_context_len = param->max_context_len > 0 ? param->max_context_len
                                                  : (int)model->max_context_limit;
    if (*max_context_len > model->max_context_limit) {
        sim_log_error("max_context[%d] must be less than the model's max_context_limit[%lld]",
                      *max_context_len, model->max_context_limit);
        return "context";
    }
    return NULL;
}
