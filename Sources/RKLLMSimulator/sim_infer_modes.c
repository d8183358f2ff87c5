/*
 * sim_infer_modes.c — rkllm_run's two infer modes that return tensors instead
 * of text: RKLLM_INFER_GET_LAST_HIDDEN_LAYER and RKLLM_INFER_GET_LOGITS.
 *
 * Both prefill the prompt as a generation does (same timing, same KV rules),
 * then deliver one RKLLM_RUN_NORMAL callback carrying the tensor (text NULL,
 * token_id -1), as the runtime's demos read it, then FINISH. The tensor is
 * valid only during that callback: it is freed as soon as the callback returns.
 *
 * Hidden states: num_tokens rows (every token of the assembled prompt) of
 * embedding_size floats. Row t depends only on the bytes of tokens 0...t (4
 * bytes each), as a causal model's would, so equal texts give equal tensors,
 * different texts differ, and the last row stands for the whole text.
 *
 * Logits: the last token's only (num_tokens 1), vocab_size floats. Every entry
 * is a small negative number but two: "no" (no_token) is 0 and "yes"
 * (yes_token) is log(p / (1 - p)), so that softmax over the two gives p. p is
 * scripted: "[[score=0.83]]" in the prompt gives 0.83 (clamped to
 * [0.0001, 0.9999]); else, when the prompt holds "<Query>: " and
 * "<Document>: " (Qwen3-Reranker's format), 0.05 + 0.9 x the share of the
 * query's distinct words (ASCII letters and digits, case folded) found in the
 * document; else 0.5.
 */
#include "sim_internal.h"

#include <ctype.h>
#include <math.h> /* isfinite only: the library links no libm */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* splitmix64: a well-mixed 64-bit value from any 64-bit input. */
static uint64_t mix64(uint64_t x) {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/* The natural logarithm of x > 0, without libm: x = m * 2^k with m in [1, 2), then the atanh series. */
static double natural_log(double x) {
    int k = 0;
    while (x >= 2.0) { x /= 2.0; k++; }
    while (x < 1.0) { x *= 2.0; k--; }
    double z = (x - 1.0) / (x + 1.0), z2 = z * z, term = z, sum = 0.0;
    for (int n = 1; n < 60; n += 2) {
        sum += term / n;
        term *= z2;
    }
    return 2.0 * sum + k * 0.69314718055994530942;
}

/* FNV-1a over the (up to) 4 bytes of token t of `text`. */
static uint64_t token_hash(const char *text, size_t len, int t) {
    uint64_t hash = 0xcbf29ce484222325ull;
    size_t start = (size_t)t * 4;
    for (size_t i = start; i < start + 4 && i < len; i++) {
        hash ^= (unsigned char)text[i];
        hash *= 0x100000001b3ull;
    }
    return hash;
}

/* One row: embd floats in [-1, 1] drawn from the token's hash. */
static void fill_row(float *row, int embd, uint64_t seed) {
    for (int j = 0; j < embd; j++) {
        uint64_t bits = mix64(seed ^ ((uint64_t)j * 0xd1342543de82ef95ull));
        row[j] = (float)((double)(bits >> 11) / (double)(1ull << 53) * 2.0 - 1.0);
    }
}

static void free_tensors(SimRun *run, float **buffers) {
    for (int i = 0; i < run->n_batch; i++) free(buffers[i]);
    free(buffers);
}

/* Delivers the one NORMAL callback; the tensors are freed right after it. */
static void deliver_tensors(SimRun *run, float **buffers) {
    if (sim_deliver(run, RKLLM_RUN_NORMAL) == 1) run->paused = true;
    for (int i = 0; i < run->n_batch; i++) run->results[i] = (RKLLMResult){.token_id = -1};
    free_tensors(run, buffers);
}

static bool deliver_hidden_states(SimRun *run) {
    int embd = (int)run->sim->model.embedding_size;
    float **buffers = calloc((size_t)run->n_batch, sizeof(float *));
    if (!buffers) return false;
    for (int i = 0; i < run->n_batch; i++) {
        const SimSlot *slot = &run->slots[i];
        int rows = slot->prompt_tokens;
        buffers[i] = malloc((size_t)(rows > 0 ? rows : 1) * (size_t)embd * sizeof(float));
        if (!buffers[i]) {
            free_tensors(run, buffers);
            return false;
        }
        size_t len = strlen(slot->prompt.text);
        /* As in a causal model, row t depends on tokens 0...t: the last row on the whole text. */
        uint64_t seed = 0;
        for (int t = 0; t < rows; t++) {
            seed = mix64(seed ^ token_hash(slot->prompt.text, len, t));
            fill_row(buffers[i] + (size_t)t * (size_t)embd, embd, seed);
        }
        run->results[i] = (RKLLMResult){
            .token_id = -1,
            .last_hidden_layer = {.hidden_states = buffers[i], .embd_size = embd, .num_tokens = rows},
        };
    }
    deliver_tensors(run, buffers);
    return true;
}

/* Whether a[0..n) and b[0..n) are equal, ASCII case folded. */
static bool same_bytes_folded(const char *a, const char *b, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i])) return false;
    return true;
}

/* Whether the word text[at..at+n) stands alone in text[0..len) (no letter or digit either side). */
static bool word_at(const char *text, size_t len, size_t at, size_t n) {
    return (at == 0 || !isalnum((unsigned char)text[at - 1])) && (at + n == len || !isalnum((unsigned char)text[at + n]));
}

/* The distinct lowercase words of text[0..len) found in haystack[0..hay_len), as a share of them. */
static double word_overlap(const char *text, size_t len, const char *haystack, size_t hay_len) {
    int words = 0, found = 0;
    size_t i = 0;
    while (i < len) {
        while (i < len && !isalnum((unsigned char)text[i])) i++;
        size_t start = i;
        while (i < len && isalnum((unsigned char)text[i])) i++;
        size_t n = i - start;
        if (n == 0) break;
        /* Distinct: skip a word that appeared earlier in the query. */
        bool seen = false;
        for (size_t k = 0; k + n <= start && !seen; k++) {
            if (word_at(text, len, k, n) && same_bytes_folded(text + k, text + start, n)) seen = true;
        }
        if (seen) continue;
        words++;
        for (size_t k = 0; k + n <= hay_len; k++) {
            if (word_at(haystack, hay_len, k, n) && same_bytes_folded(haystack + k, text + start, n)) {
                found++;
                break;
            }
        }
    }
    return words > 0 ? (double)found / words : 0.0;
}

/* The scripted probability of "yes" for the prompt (see the file's comment). */
static double yes_probability(const char *prompt) {
    const char *score = strstr(prompt, "[[score=");
    if (score) {
        char *end = NULL;
        double value = strtod(score + 8, &end);
        if (end && end != score + 8 && strncmp(end, "]]", 2) == 0 && isfinite(value))
            return value < 0.0001 ? 0.0001 : value > 0.9999 ? 0.9999 : value;
    }
    const char *query = strstr(prompt, "<Query>: ");
    const char *document = query ? strstr(query, "<Document>: ") : NULL;
    if (!query || !document) return 0.5;
    query += 9;
    const char *doc_text = document + 12;
    const char *doc_end = strstr(doc_text, "<|im_end|>");
    size_t doc_len = doc_end ? (size_t)(doc_end - doc_text) : strlen(doc_text);
    return 0.05 + 0.9 * word_overlap(query, (size_t)(document - query), doc_text, doc_len);
}

static bool deliver_logits(SimRun *run) {
    const SimModel *model = &run->sim->model;
    int vocab = (int)model->vocab_size;
    float **buffers = calloc((size_t)run->n_batch, sizeof(float *));
    if (!buffers) return false;
    for (int i = 0; i < run->n_batch; i++) {
        const SimSlot *slot = &run->slots[i];
        buffers[i] = malloc((size_t)vocab * sizeof(float));
        if (!buffers[i]) {
            free_tensors(run, buffers);
            return false;
        }
        uint64_t seed = token_hash(slot->prompt.text, strlen(slot->prompt.text), slot->prompt_tokens - 1);
        for (int v = 0; v < vocab; v++)
            buffers[i][v] = -8.0f - (float)(mix64(seed ^ (uint64_t)v) >> 40) / (float)(1u << 24);
        double p = yes_probability(slot->prompt.text);
        buffers[i][model->no_token] = 0.0f;
        buffers[i][model->yes_token] = (float)natural_log(p / (1.0 - p));
        run->results[i] = (RKLLMResult){
            .token_id = -1,
            .logits = {.logits = buffers[i], .vocab_size = vocab, .num_tokens = 1},
        };
    }
    deliver_tensors(run, buffers);
    return true;
}

void sim_infer_tensors(SimRun *run, RKLLMInferMode mode) {
    sim_prefill(run);
    if (!run->aborted) {
        bool delivered = mode == RKLLM_INFER_GET_LOGITS ? deliver_logits(run) : deliver_hidden_states(run);
        if (!delivered) {
            sim_log_error("out of memory");
            for (int i = 0; i < run->n_batch; i++) run->results[i] = (RKLLMResult){.token_id = -1};
            sim_deliver(run, RKLLM_RUN_ERROR);
            return;
        }
    }
    sim_finish(run);
}
