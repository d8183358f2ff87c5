/*
 * sim_embed.c — the simulated encoder: the image is cut in a g x g grid of
 * regions (g = sqrt(tokens)), row-major; row t, column j of the output is the
 * mean of channel j % 3 over region t, divided by 255.
 */
#include "sim_internal.h"

#include <string.h>

void sim_embed(const SimModel *model, const uint8_t *pixels, float *out) {
    uint32_t g = model->grid;
    uint32_t width = model->width, height = model->height;
    for (uint32_t t = 0; t < model->tokens; t++) {
        uint32_t row = t / g, column = t % g;
        uint32_t y0 = (uint32_t)((uint64_t)row * height / g), y1 = (uint32_t)((uint64_t)(row + 1) * height / g);
        uint32_t x0 = (uint32_t)((uint64_t)column * width / g);
        uint32_t x1 = (uint32_t)((uint64_t)(column + 1) * width / g);
        uint64_t sums[3] = {0, 0, 0};
        for (uint32_t y = y0; y < y1; y++) {
            const uint8_t *line = pixels + ((size_t)y * width + x0) * 3;
            for (uint32_t x = x0; x < x1; x++, line += 3) {
                sums[0] += line[0];
                sums[1] += line[1];
                sums[2] += line[2];
            }
        }
        double count = (double)(y1 - y0) * (double)(x1 - x0);
        float means[3];
        for (int c = 0; c < 3; c++) means[c] = count > 0 ? (float)((double)sums[c] / count / 255.0) : 0.0f;
        float *dest = out + (size_t)t * model->embedding_size;
        for (uint32_t j = 0; j < model->embedding_size; j++) dest[j] = means[j % 3];
    }
}

uint16_t sim_half(float value) {
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    uint32_t sign = (bits >> 16) & 0x8000u;
    int32_t exponent = (int32_t)((bits >> 23) & 0xff) - 127 + 15;
    uint32_t mantissa = bits & 0x7fffffu;
    if (((bits >> 23) & 0xff) == 0xff) return (uint16_t)(sign | 0x7c00u | (mantissa ? 0x200u : 0));
    if (exponent >= 31) return (uint16_t)(sign | 0x7c00u);
    if (exponent <= 0) {
        if (exponent < -10) return (uint16_t)sign;
        mantissa |= 0x800000u;
        uint32_t shift = (uint32_t)(14 - exponent);
        uint32_t half = mantissa >> shift;
        uint32_t rest = mantissa & ((1u << shift) - 1);
        uint32_t midpoint = 1u << (shift - 1);
        if (rest > midpoint || (rest == midpoint && (half & 1))) half++;
        return (uint16_t)(sign | half);
    }
    uint32_t half = sign | ((uint32_t)exponent << 10) | (mantissa >> 13);
    uint32_t rest = mantissa & 0x1fffu;
    if (rest > 0x1000u || (rest == 0x1000u && (half & 1))) half++;
    return (uint16_t)half;
}
