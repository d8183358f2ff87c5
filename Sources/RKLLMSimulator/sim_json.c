/*
 * sim_json.c — a tiny scanner for the model file's header: one flat JSON
 * object whose values are strings, integers, booleans or null. Nested
 * objects, arrays and non-integer numbers are rejected.
 */
#include "sim_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *text;
    size_t len;
    size_t pos;
    char *reason;
    size_t reason_cap;
} Scanner;

static int fail(Scanner *s, const char *what) {
    snprintf(s->reason, s->reason_cap, "%s at byte %zu of the header", what, s->pos);
    return -1;
}

static void skip_space(Scanner *s) {
    while (s->pos < s->len) {
        char c = s->text[s->pos];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return;
        s->pos++;
    }
}

static bool at_end(const Scanner *s) {
    return s->pos >= s->len;
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Appends the UTF-8 encoding of a \uXXXX escape (surrogates become U+FFFD). */
static int append_codepoint(SimBuf *buf, unsigned cp) {
    char bytes[3];
    if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
    if (cp < 0x80) return sim_buf_append(buf, (char[]){(char)cp}, 1);
    if (cp < 0x800) {
        bytes[0] = (char)(0xC0 | (cp >> 6));
        bytes[1] = (char)(0x80 | (cp & 0x3F));
        return sim_buf_append(buf, bytes, 2);
    }
    bytes[0] = (char)(0xE0 | (cp >> 12));
    bytes[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    bytes[2] = (char)(0x80 | (cp & 0x3F));
    return sim_buf_append(buf, bytes, 3);
}

static int scan_escape(Scanner *s, SimBuf *buf) {
    if (at_end(s)) return fail(s, "truncated escape");
    char c = s->text[s->pos++];
    char plain;
    switch (c) {
    case '"': case '\\': case '/': plain = c; break;
    case 'b': plain = '\b'; break;
    case 'f': plain = '\f'; break;
    case 'n': plain = '\n'; break;
    case 'r': plain = '\r'; break;
    case 't': plain = '\t'; break;
    case 'u': plain = 0; break;
    default: return fail(s, "bad escape");
    }
    if (plain) return sim_buf_append(buf, &plain, 1);
    if (s->len - s->pos < 4) return fail(s, "truncated \\u escape");
    unsigned cp = 0;
    for (int i = 0; i < 4; i++) {
        int digit = hex_value(s->text[s->pos++]);
        if (digit < 0) return fail(s, "bad \\u escape");
        cp = cp * 16 + (unsigned)digit;
    }
    return append_codepoint(buf, cp);
}

/* Scans a string whose opening quote is at s->pos; returns it (owned). */
static char *scan_string(Scanner *s) {
    SimBuf buf = {0};
    s->pos++; /* opening quote */
    sim_buf_append(&buf, "", 0);
    while (!at_end(s)) {
        char c = s->text[s->pos++];
        if (c == '"') return buf.data;
        int status;
        if (c == '\\')
            status = scan_escape(s, &buf);
        else if ((unsigned char)c < 0x20)
            status = fail(s, "control character in string");
        else
            status = sim_buf_append(&buf, &c, 1);
        if (status != 0) {
            sim_buf_free(&buf);
            return NULL;
        }
    }
    fail(s, "unterminated string");
    sim_buf_free(&buf);
    return NULL;
}

static bool scan_word(Scanner *s, const char *word) {
    size_t n = strlen(word);
    if (s->len - s->pos < n || memcmp(s->text + s->pos, word, n) != 0) return false;
    s->pos += n;
    return true;
}

static int scan_integer(Scanner *s, long long *out) {
    size_t start = s->pos;
    if (s->text[s->pos] == '-') s->pos++;
    if (at_end(s) || s->text[s->pos] < '0' || s->text[s->pos] > '9') return fail(s, "bad number");
    long long value = 0;
    while (!at_end(s) && s->text[s->pos] >= '0' && s->text[s->pos] <= '9') {
        if (value > 100000000000000000LL) return fail(s, "number too large");
        value = value * 10 + (s->text[s->pos++] - '0');
    }
    if (!at_end(s) && (s->text[s->pos] == '.' || s->text[s->pos] == 'e' || s->text[s->pos] == 'E'))
        return fail(s, "only integer numbers are supported");
    *out = s->text[start] == '-' ? -value : value;
    return 0;
}

static int scan_value(Scanner *s, SimJsonMember *member) {
    if (at_end(s)) return fail(s, "truncated value");
    char c = s->text[s->pos];
    if (c == '"') {
        member->type = SIM_JSON_STRING;
        member->string = scan_string(s);
        return member->string ? 0 : -1;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        member->type = SIM_JSON_INTEGER;
        return scan_integer(s, &member->integer);
    }
    member->type = SIM_JSON_BOOL;
    if (scan_word(s, "true")) member->boolean = true;
    else if (scan_word(s, "false")) member->boolean = false;
    else if (scan_word(s, "null")) member->type = SIM_JSON_NULL;
    else return fail(s, "unsupported value");
    return 0;
}

static int add_member(SimJsonObject *object, const SimJsonMember *member) {
    SimJsonMember *grown = realloc(object->members, (object->count + 1) * sizeof *grown);
    if (!grown) return -1;
    object->members = grown;
    object->members[object->count++] = *member;
    return 0;
}

static int scan_member(Scanner *s, SimJsonObject *object) {
    SimJsonMember member = {0};
    if (at_end(s) || s->text[s->pos] != '"') return fail(s, "expected a key");
    member.key = scan_string(s);
    if (!member.key) return -1;
    skip_space(s);
    if (at_end(s) || s->text[s->pos] != ':') {
        free(member.key);
        return fail(s, "expected ':'");
    }
    s->pos++;
    skip_space(s);
    if (scan_value(s, &member) != 0 || add_member(object, &member) != 0) {
        free(member.key);
        free(member.string);
        return -1;
    }
    return 0;
}

static int scan_object(Scanner *s, SimJsonObject *object) {
    if (at_end(s) || s->text[s->pos] != '{') return fail(s, "expected '{'");
    s->pos++;
    skip_space(s);
    if (!at_end(s) && s->text[s->pos] == '}') return 0;
    for (;;) {
        skip_space(s);
        if (scan_member(s, object) != 0) return -1;
        skip_space(s);
        if (at_end(s)) return fail(s, "truncated object");
        char c = s->text[s->pos++];
        if (c == '}') return 0;
        if (c != ',') return fail(s, "expected ',' or '}'");
    }
}

int sim_json_parse_object(const char *text, size_t len, SimJsonObject *out, char *reason,
                          size_t reason_cap) {
    Scanner s = {.text = text, .len = len, .reason = reason, .reason_cap = reason_cap};
    *out = (SimJsonObject){0};
    skip_space(&s);
    if (scan_object(&s, out) == 0) return 0;
    sim_json_free(out);
    return -1;
}

const SimJsonMember *sim_json_find(const SimJsonObject *object, const char *key) {
    for (size_t i = 0; i < object->count; i++)
        if (strcmp(object->members[i].key, key) == 0) return &object->members[i];
    return NULL;
}

void sim_json_free(SimJsonObject *object) {
    for (size_t i = 0; i < object->count; i++) {
        free(object->members[i].key);
        free(object->members[i].string);
    }
    free(object->members);
    *object = (SimJsonObject){0};
}
