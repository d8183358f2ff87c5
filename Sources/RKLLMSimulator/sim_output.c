/*
 * sim_output.c — the simulated model's answer, one token at a time.
 *
 * Echo: when the raw prompt contains "[[echo]]TEXT[[/echo]]", the answer is
 * TEXT (from the LAST opening marker to the first closing marker after it),
 * cut into tokens of at most 3 bytes. A 3-byte slice that would end inside a
 * multi-byte UTF-8 character becomes a WAITING token (text = its bytes, held
 * back); the next token is shortened to end on a character boundary and is
 * NORMAL, its text = the held-back bytes + its own. So NORMAL text is always
 * whole characters and WAITING text is never to be appended by a consumer.
 *
 * Continuation: when the raw prompt ends with "</think>" (and white space)
 * after the closing marker, the echo text is what follows its own first
 * "</think>" and white space: a model whose reasoning was closed answers.
 *
 * Filler (no echo): the filler's whitespace-separated words, each followed
 * by one space, repeated forever (the caller stops at max_new_tokens).
 */
#include "sim_internal.h"

#include <string.h>

static const char DEFAULT_FILLER[] = "The quick brown fox jumps over the lazy dog. ";
static const char ECHO_OPEN[] = "[[echo]]";
static const char ECHO_CLOSE[] = "[[/echo]]";
static const char THINK_END[] = "</think>";

static bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool has_word(const char *text) {
    for (; text && *text; text++)
        if (!is_space(*text)) return true;
    return false;
}

/* Finds the echo text: after the last ECHO_OPEN, up to the next ECHO_CLOSE. */
static void find_echo(const char *prompt, const char **echo, size_t *echo_len) {
    *echo = NULL;
    *echo_len = 0;
    const char *open = NULL;
    for (const char *hit = strstr(prompt, ECHO_OPEN); hit; hit = strstr(hit + 1, ECHO_OPEN))
        open = hit;
    if (!open) return;
    const char *start = open + strlen(ECHO_OPEN);
    const char *close = strstr(start, ECHO_CLOSE);
    if (!close) return;
    *echo = start;
    *echo_len = (size_t)(close - start);
    /* A reasoning closed for the model: the prompt ends with THINK_END (and white space) after the echo,
     * so the model goes on with what its echo says after its own THINK_END. */
    const char *tail = close + strlen(ECHO_CLOSE);
    size_t tail_len = strlen(tail);
    while (tail_len > 0 && is_space(tail[tail_len - 1])) tail_len--;
    size_t end_len = strlen(THINK_END);
    if (tail_len < end_len || memcmp(tail + tail_len - end_len, THINK_END, end_len) != 0) return;
    const char *closed = NULL;
    for (const char *at = start; !closed && at + end_len <= close; at++)
        if (memcmp(at, THINK_END, end_len) == 0) closed = at;
    if (!closed) return;
    const char *answer = closed + end_len;
    while (answer < close && is_space(*answer)) answer++;
    *echo = answer;
    *echo_len = (size_t)(close - answer);
}

void sim_output_init(SimOutput *out, const char *prompt, const char *filler) {
    *out = (SimOutput){0};
    find_echo(prompt ? prompt : "", &out->echo, &out->echo_len);
    out->filler = has_word(filler) ? filler : DEFAULT_FILLER;
}

/* True when byte offset `at` of the echo text starts a character (or is its end). */
static bool at_boundary(const SimOutput *out, size_t at) {
    return at >= out->echo_len || ((unsigned char)out->echo[at] & 0xC0) != 0x80;
}

static SimTokenKind next_echo_token(SimOutput *out) {
    if (out->pos >= out->echo_len) return SIM_TOKEN_END;
    size_t end = out->pos + 3 < out->echo_len ? out->pos + 3 : out->echo_len;

    if (!at_boundary(out, end)) {
        if (out->pending.len == 0) {
            /* The slice splits a character: report it as WAITING and hold it back. */
            sim_buf_append(&out->pending, out->echo + out->pos, end - out->pos);
            out->pos = end;
            sim_buf_append(&out->text, out->pending.data, out->pending.len);
            return SIM_TOKEN_WAITING;
        }
        /* Right after a WAITING token: end on the boundary that completes the
         * held-back character (the rest of a character is at most 3 bytes). */
        size_t boundary = end;
        while (boundary > out->pos && !at_boundary(out, boundary)) boundary--;
        if (boundary > out->pos) end = boundary; /* else invalid UTF-8: keep 3 bytes */
    }
    sim_buf_append(&out->text, out->pending.data ? out->pending.data : "", out->pending.len);
    sim_buf_append(&out->text, out->echo + out->pos, end - out->pos);
    out->pending.len = 0;
    out->pos = end;
    return SIM_TOKEN_NORMAL;
}

static SimTokenKind next_filler_token(SimOutput *out) {
    const char *filler = out->filler;
    size_t at = out->word;
    while (filler[at] && is_space(filler[at])) at++;
    if (!filler[at]) { /* wrap around to the first word */
        at = 0;
        while (is_space(filler[at])) at++;
    }
    size_t start = at;
    while (filler[at] && !is_space(filler[at])) at++;
    sim_buf_append(&out->text, filler + start, at - start);
    sim_buf_append(&out->text, " ", 1);
    out->word = at;
    return SIM_TOKEN_NORMAL;
}

SimTokenKind sim_output_next(SimOutput *out) {
    out->text.len = 0;
    sim_buf_append(&out->text, "", 0); /* keeps text.data a valid empty string */
    return out->echo ? next_echo_token(out) : next_filler_token(out);
}

void sim_output_free(SimOutput *out) {
    sim_buf_free(&out->pending);
    sim_buf_free(&out->text);
}

bool sim_output_done(const SimOutput *out) {
    return out->echo && out->pos >= out->echo_len;
}
