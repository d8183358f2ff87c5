/*
 * sim_internal.h — what the RKNN simulator's files share. Nothing here is
 * exported: the library is built with -fvisibility=hidden and only the API
 * entry points in rknn_sim.c are marked visible.
 */
#ifndef RKNN_SIM_INTERNAL_H
#define RKNN_SIM_INTERNAL_H

#include "rknn_sim_abi.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_EXPORT __attribute__((visibility("default")))

/* The largest accepted input side and the most output floats of one model. */
#define SIM_MAX_SIDE 8192
#define SIM_MAX_OUTPUT_FLOATS (64u * 1024u * 1024u)

/* A parsed "RKNNSIM1" + JSON model file. */
typedef struct {
    uint32_t width;
    uint32_t height;
    uint32_t tokens;
    uint32_t embedding_size;
    uint32_t grid; /* integer square root of tokens */
    bool nchw;     /* the input attribute reports NCHW dims (the data set is still converted) */
    char target_platform[64];
} SimModel;

/* Parses a model file's bytes; on failure returns -1 with a reason. */
int sim_model_parse(const uint8_t *bytes, size_t size, SimModel *model, char *reason, size_t reason_cap);

/* The embeddings of one NHWC RGB8 image (model->width x model->height): tokens x embedding_size floats. */
void sim_embed(const SimModel *model, const uint8_t *pixels, float *out);

/* IEEE half precision of a float (round to nearest even). */
uint16_t sim_half(float value);

/* Prints one "E RKNN: ..." line on stderr; returns code. */
int sim_error(int code, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* An environment variable as a non-negative integer, or fallback when unset or not one. */
long sim_env_long(const char *name, long fallback);

/* Sleeps for a number of microseconds on CLOCK_MONOTONIC. */
void sim_sleep_us(long micros);

#endif
