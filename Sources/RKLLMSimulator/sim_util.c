/*
 * sim_util.c — small helpers: growable strings, token arithmetic, the
 * monotonic clock and abortable sleep, environment numbers, stderr messages
 * and the event log.
 */
#define _POSIX_C_SOURCE 200809L

#include "sim_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- strings ---- */

int sim_buf_append(SimBuf *buf, const char *bytes, size_t len) {
    if (buf->len + len + 1 > buf->cap) {
        size_t cap = buf->cap ? buf->cap : 64;
        while (cap < buf->len + len + 1) cap *= 2;
        char *data = realloc(buf->data, cap);
        if (!data) return -1;
        buf->data = data;
        buf->cap = cap;
    }
    if (len) memcpy(buf->data + buf->len, bytes, len);
    buf->len += len;
    buf->data[buf->len] = '\0';
    return 0;
}

int sim_buf_append_str(SimBuf *buf, const char *str) {
    return sim_buf_append(buf, str, strlen(str));
}

void sim_buf_free(SimBuf *buf) {
    free(buf->data);
    *buf = (SimBuf){0};
}

char *sim_strdup(const char *str) {
    if (!str) return NULL;
    size_t len = strlen(str) + 1;
    char *copy = malloc(len);
    if (copy) memcpy(copy, str, len);
    return copy;
}

int sim_tokens_for_bytes(size_t bytes) {
    return (int)((bytes + 3) / 4);
}

/* ---- time ---- */

double sim_now_ms(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec * 1000.0 + (double)now.tv_nsec / 1e6;
}

bool sim_sleep_us(long long us, atomic_bool *abort_flag) {
    const long long slice_us = 2000;
    double deadline = sim_now_ms() + (double)us / 1000.0;
    for (;;) {
        if (atomic_load(abort_flag)) return false;
        double left_us = (deadline - sim_now_ms()) * 1000.0;
        if (left_us <= 0) return true;
        long long step = left_us < (double)slice_us ? (long long)left_us + 1 : slice_us;
        struct timespec pause = {.tv_sec = 0, .tv_nsec = (long)(step * 1000)};
        while (nanosleep(&pause, &pause) != 0 && errno == EINTR) {
        }
    }
}

/* ---- environment ---- */

long long sim_env_int(const char *name, long long fallback) {
    const char *value = getenv(name);
    if (!value || !*value) return fallback;
    char *end = NULL;
    errno = 0;
    long long parsed = strtoll(value, &end, 10);
    if (errno != 0 || end == value || *end != '\0') return fallback;
    return parsed;
}

double sim_env_double(const char *name, double fallback) {
    const char *value = getenv(name);
    if (!value || !*value) return fallback;
    char *end = NULL;
    errno = 0;
    double parsed = strtod(value, &end);
    if (errno != 0 || end == value || *end != '\0' || !(parsed >= 0) || parsed > 1e6) return fallback;
    return parsed;
}

/* ---- stderr ---- */

static void log_line(const char *level, const char *fmt, va_list args) {
    char line[1024];
    int used = snprintf(line, sizeof line, "%s RKLLM: ", level);
    vsnprintf(line + used, sizeof line - (size_t)used - 1, fmt, args);
    size_t len = strlen(line);
    line[len] = '\n';
    /* One write, so that concurrent lines are not interleaved. */
    ssize_t ignored = write(STDERR_FILENO, line, len + 1);
    (void)ignored;
}

void sim_log_error(const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    log_line("E", fmt, args);
    va_end(args);
}

void sim_log_info(const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    log_line("I", fmt, args);
    va_end(args);
}

/* ---- event log ---- */

void sim_event(const char *fmt, ...) {
    const char *path = getenv("RKLLM_SIM_EVENT_LOG");
    if (!path || !*path) return;

    char line[2048];
    va_list args;
    va_start(args, fmt);
    int len = vsnprintf(line, sizeof line - 1, fmt, args);
    va_end(args);
    if (len < 0) return;
    if ((size_t)len > sizeof line - 2) len = (int)sizeof line - 2;
    line[len++] = '\n';

    /* O_APPEND + a single write(): lines of concurrent processes never mix. */
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return;
    ssize_t ignored = write(fd, line, (size_t)len);
    (void)ignored;
    close(fd);
}
