/*
 * sim_model.c — the simulated encoder file: the 8 bytes "RKNNSIM1" and one
 * flat JSON object with the integers width, height, tokens (a square) and
 * embedding_size and the string target_platform; optional "input_format"
 * "nhwc" (default) or "nchw". Other keys with string, integer, boolean or null
 * values are ignored; nested values are refused.
 */
#include "sim_internal.h"

#include <stdio.h>
#include <string.h>

#define SIM_MAGIC "RKNNSIM1"
#define SIM_MAX_HEADER (64 * 1024)

typedef struct {
    const char *text;
    size_t len;
    size_t pos;
} Scanner;

static void skip_space(Scanner *s) {
    while (s->pos < s->len && (s->text[s->pos] == ' ' || s->text[s->pos] == '\t' || s->text[s->pos] == '\n' ||
                               s->text[s->pos] == '\r'))
        s->pos++;
}

static bool take(Scanner *s, char c) {
    skip_space(s);
    if (s->pos < s->len && s->text[s->pos] == c) {
        s->pos++;
        return true;
    }
    return false;
}

/* A string into out (truncated to cap - 1; escapes keep the escaped byte). */
static bool scan_string(Scanner *s, char *out, size_t cap) {
    if (!take(s, '"')) return false;
    size_t n = 0;
    while (s->pos < s->len) {
        char c = s->text[s->pos++];
        if (c == '"') {
            if (cap) out[n] = '\0';
            return true;
        }
        if (c == '\\') {
            if (s->pos >= s->len) return false;
            c = s->text[s->pos++];
        }
        if ((unsigned char)c < 0x20) return false;
        if (n + 1 < cap) out[n++] = c;
    }
    return false;
}

static bool scan_integer(Scanner *s, long long *value) {
    skip_space(s);
    size_t start = s->pos;
    long long result = 0;
    while (s->pos < s->len && s->text[s->pos] >= '0' && s->text[s->pos] <= '9') {
        if (result > 1000000000LL) return false;
        result = result * 10 + (s->text[s->pos++] - '0');
    }
    if (s->pos == start) return false;
    if (s->pos < s->len && (s->text[s->pos] == '.' || s->text[s->pos] == 'e' || s->text[s->pos] == 'E')) return false;
    *value = result;
    return true;
}

static bool scan_word(Scanner *s, const char *word) {
    skip_space(s);
    size_t n = strlen(word);
    if (s->len - s->pos < n || memcmp(s->text + s->pos, word, n) != 0) return false;
    s->pos += n;
    return true;
}

static int fail(char *reason, size_t cap, const char *what) {
    snprintf(reason, cap, "%s", what);
    return -1;
}

static uint32_t isqrt(uint32_t n) {
    uint32_t root = 0;
    while ((uint64_t)(root + 1) * (root + 1) <= n) root++;
    return root;
}

int sim_model_parse(const uint8_t *bytes, size_t size, SimModel *model, char *reason, size_t cap) {
    memset(model, 0, sizeof *model);
    size_t magic = strlen(SIM_MAGIC);
    if (size < magic || memcmp(bytes, SIM_MAGIC, magic) != 0) return fail(reason, cap, "not an RKNN model (bad magic)");
    if (size - magic > SIM_MAX_HEADER) return fail(reason, cap, "the model header is too large");
    Scanner s = {(const char *)bytes + magic, size - magic, 0};
    long long width = -1, height = -1, tokens = -1, embedding = -1;
    bool have_platform = false;
    if (!take(&s, '{')) return fail(reason, cap, "the model header is not a JSON object");
    if (!take(&s, '}')) {
        do {
            char key[64], text[64];
            if (!scan_string(&s, key, sizeof key) || !take(&s, ':')) return fail(reason, cap, "malformed model header");
            long long *target = strcmp(key, "width") == 0            ? &width
                                : strcmp(key, "height") == 0         ? &height
                                : strcmp(key, "tokens") == 0         ? &tokens
                                : strcmp(key, "embedding_size") == 0 ? &embedding
                                                                     : NULL;
            skip_space(&s);
            if (target) {
                if (!scan_integer(&s, target)) return fail(reason, cap, "a shape field is not a non-negative integer");
            } else if (s.pos < s.len && s.text[s.pos] == '"') {
                if (!scan_string(&s, text, sizeof text)) return fail(reason, cap, "malformed string in model header");
                if (strcmp(key, "target_platform") == 0) {
                    snprintf(model->target_platform, sizeof model->target_platform, "%s", text);
                    have_platform = true;
                } else if (strcmp(key, "input_format") == 0) {
                    if (strcmp(text, "nchw") == 0) model->nchw = true;
                    else if (strcmp(text, "nhwc") != 0) return fail(reason, cap, "input_format is not nhwc or nchw");
                }
            } else {
                long long ignored;
                if (!scan_integer(&s, &ignored) && !scan_word(&s, "true") && !scan_word(&s, "false") &&
                    !scan_word(&s, "null"))
                    return fail(reason, cap, "unsupported value in model header");
            }
        } while (take(&s, ','));
        if (!take(&s, '}')) return fail(reason, cap, "malformed model header");
    }
    skip_space(&s);
    if (s.pos != s.len) return fail(reason, cap, "trailing bytes after the model header");
    if (width < 1 || height < 1 || tokens < 1 || embedding < 1 || !have_platform)
        return fail(reason, cap, "the model header lacks width, height, tokens, embedding_size or target_platform");
    if (width > SIM_MAX_SIDE || height > SIM_MAX_SIDE) return fail(reason, cap, "the input is too large");
    model->width = (uint32_t)width;
    model->height = (uint32_t)height;
    model->tokens = (uint32_t)tokens;
    model->embedding_size = (uint32_t)embedding;
    model->grid = isqrt(model->tokens);
    if ((uint64_t)model->grid * model->grid != model->tokens) return fail(reason, cap, "tokens is not a square");
    if (model->grid > model->width || model->grid > model->height)
        return fail(reason, cap, "more regions than pixels on a side");
    if ((uint64_t)model->tokens * model->embedding_size > SIM_MAX_OUTPUT_FLOATS)
        return fail(reason, cap, "the output is too large");
    return 0;
}
