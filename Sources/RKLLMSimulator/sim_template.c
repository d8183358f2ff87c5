/*
 * sim_template.c — the simulated model's built-in chat template (Qwen-style)
 * and how a prompt is assembled from it:
 *
 *   [system part, only into an empty KV] + prefix + body + postfix [+ empty think block]
 *
 * body is the prompt, or for role "tool" "<TAG>\n" + prompt + "\n</TAG>".
 * Also the API entry points that change the template.
 */
#include "sim_internal.h"

#include <stdlib.h>
#include <string.h>

static const char DEFAULT_SYSTEM[] = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n";
static const char DEFAULT_PREFIX[] = "<|im_start|>user\n";
static const char DEFAULT_POSTFIX[] = "<|im_end|>\n<|im_start|>assistant\n";
static const char NO_THINKING[] = "<think>\n\n</think>\n\n";
static const char DEFAULT_TOOL_TAG[] = "tool_response";

/* Replaces *slot by a copy of value; keeps it when value is NULL. */
static int replace_string(char **slot, const char *value) {
    if (!value) return 0;
    char *copy = sim_strdup(value);
    if (!copy) return -1;
    free(*slot);
    *slot = copy;
    return 0;
}

int sim_template_init(SimTemplate *tpl) {
    *tpl = (SimTemplate){0};
    tpl->system = sim_strdup(DEFAULT_SYSTEM);
    tpl->prefix = sim_strdup(DEFAULT_PREFIX);
    tpl->postfix = sim_strdup(DEFAULT_POSTFIX);
    tpl->tool_tag = sim_strdup(DEFAULT_TOOL_TAG);
    if (tpl->system && tpl->prefix && tpl->postfix && tpl->tool_tag) return 0;
    sim_template_free(tpl);
    return -1;
}

void sim_template_free(SimTemplate *tpl) {
    free(tpl->system);
    free(tpl->prefix);
    free(tpl->postfix);
    free(tpl->tools_system);
    free(tpl->tool_tag);
    *tpl = (SimTemplate){0};
}

int sim_template_set(SimTemplate *tpl, const char *system, const char *prefix, const char *postfix) {
    if (replace_string(&tpl->system, system) != 0 || replace_string(&tpl->prefix, prefix) != 0 ||
        replace_string(&tpl->postfix, postfix) != 0)
        return -1;
    if (system || prefix || postfix) tpl->is_custom = true;
    return 0;
}

/* The system part becomes "<|im_start|>system\n<prompt>\n\n# Tools\n<tools><|im_end|>\n".
 * tools == NULL switches function calling off again. */
int sim_template_set_tools(SimTemplate *tpl, const char *system_prompt, const char *tools,
                           const char *tool_response_str) {
    if (replace_string(&tpl->tool_tag, tool_response_str ? tool_response_str : DEFAULT_TOOL_TAG))
        return -1;
    free(tpl->tools_system);
    tpl->tools_system = NULL;
    if (!tools) return 0;

    SimBuf system = {0};
    int failed = sim_buf_append_str(&system, "<|im_start|>system\n") ||
                 sim_buf_append_str(&system, system_prompt ? system_prompt : "") ||
                 sim_buf_append_str(&system, "\n\n# Tools\n") ||
                 sim_buf_append_str(&system, tools) ||
                 sim_buf_append_str(&system, "<|im_end|>\n");
    if (failed) {
        sim_buf_free(&system);
        return -1;
    }
    tpl->tools_system = system.data;
    return 0;
}

static int append_body(SimBuf *text, const SimTemplate *tpl, const char *role, const char *prompt) {
    if (strcmp(role, "tool") != 0) return sim_buf_append_str(text, prompt);
    return sim_buf_append_str(text, "<") || sim_buf_append_str(text, tpl->tool_tag) ||
           sim_buf_append_str(text, ">\n") || sim_buf_append_str(text, prompt) ||
           sim_buf_append_str(text, "\n</") || sim_buf_append_str(text, tpl->tool_tag) ||
           sim_buf_append_str(text, ">");
}

int sim_template_assemble(const SimTemplate *tpl, const char *role, bool enable_thinking,
                          const char *prompt, bool include_system, SimPrompt *out) {
    SimBuf text = {0};
    const char *system = tpl->tools_system ? tpl->tools_system : tpl->system;
    int failed = sim_buf_append(&text, "", 0);
    if (include_system) failed = failed || sim_buf_append_str(&text, system);
    size_t system_len = text.len;
    failed = failed || sim_buf_append_str(&text, tpl->prefix) ||
             append_body(&text, tpl, role ? role : "user", prompt) ||
             sim_buf_append_str(&text, tpl->postfix);
    /* Like Qwen3's template: thinking off = an empty think block is pre-filled. */
    if (!enable_thinking && !tpl->is_custom) failed = failed || sim_buf_append_str(&text, NO_THINKING);
    if (failed) {
        sim_buf_free(&text);
        return -1;
    }
    *out = (SimPrompt){.text = text.data, .system_len = system_len};
    return 0;
}

/* ---- API entry points ---- */

RKLLM_SIM_EXPORT int rkllm_set_chat_template(LLMHandle handle, const char *system_prompt,
                                    const char *prompt_prefix, const char *prompt_postfix) {
    SimHandle *sim = sim_handle_from(handle);
    if (!sim || sim_busy(sim, "set the chat template") ||
        sim_template_set(&sim->tpl, system_prompt, prompt_prefix, prompt_postfix) != 0)
        return -1;
    sim_event("set_chat_template");
    return 0;
}

RKLLM_SIM_EXPORT int rkllm_set_function_tools(LLMHandle handle, const char *system_prompt, const char *tools,
                                     const char *tool_response_str) {
    SimHandle *sim = sim_handle_from(handle);
    if (!sim || sim_busy(sim, "set function tools") ||
        sim_template_set_tools(&sim->tpl, system_prompt, tools, tool_response_str) != 0)
        return -1;
    sim_event("set_function_tools");
    return 0;
}
