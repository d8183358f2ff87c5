/*
 * sim_multimodal.c — RKLLM_INPUT_MULTIMODAL (contract item 13 in rkllm_sim.c).
 *
 * The prompt carries one "<image>" marker per image; n_image must equal the
 * number of markers. Each marker becomes image_start + image_end in the
 * assembled text, and the image's n_image_tokens embeddings count as prompt
 * tokens between them. The tags come from RKLLMParam.img_* (1.2, kept at
 * rkllm_init) or from the input's image block (1.3). A prompt containing
 * "[[vision]]" is answered with what arrived:
 *   vision images=N image_tokens=T start=S end=E colours=#rrggbb,...
 * one colour per image: each channel = round(255 x the mean of embedding
 * column 0, 1, 2 over the image's rows), the rows being embedding_size floats
 * (the model file's "embedding_size", default 1536).
 */
#include "sim_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char IMAGE_MARKER[] = "<image>";
static const char VISION_REQUEST[] = "[[vision]]";
/* Bounds that keep the token arithmetic and the answer small. */
#define SIM_MAX_IMAGES 64
#define SIM_MAX_IMAGE_TOKENS 65536

/* The image block of either layout, with the tags in effect. */
typedef struct {
    const char *prompt;
    const float *embed;
    size_t n_image_tokens;
    size_t n_image;
    size_t width;
    size_t height;
    const char *start;
    const char *end;
    const char *content;
} SimImageBlock;

static const char *or_empty(const char *text) { return text ? text : ""; }

static SimImageBlock image_block(const SimHandle *sim, const RKLLMInput *input) {
    const RKLLMMultiModalInput *mm = &input->multimodal_input;
#if RKLLM_SIM_ABI == 13
    (void)sim;
    return (SimImageBlock){
        .prompt = mm->prompt, .embed = mm->image.image_embed,
        .n_image_tokens = mm->image.n_image_tokens, .n_image = mm->image.n_image,
        .width = mm->image.image_width, .height = mm->image.image_height,
        .start = or_empty(mm->image.image_start), .end = or_empty(mm->image.image_end),
        .content = or_empty(mm->image.image_content),
    };
#else
    return (SimImageBlock){
        .prompt = mm->prompt, .embed = mm->image_embed, .n_image_tokens = mm->n_image_tokens,
        .n_image = mm->n_image, .width = mm->image_width, .height = mm->image_height,
        .start = or_empty(sim->img_start), .end = or_empty(sim->img_end),
        .content = or_empty(sim->img_content),
    };
#endif
}

static size_t count_markers(const char *prompt) {
    size_t count = 0;
    for (const char *hit = strstr(prompt, IMAGE_MARKER); hit; hit = strstr(hit + 1, IMAGE_MARKER))
        count++;
    return count;
}

/* The prompt with each marker replaced by start + end; NULL when out of memory. */
static char *expand(const SimImageBlock *block) {
    SimBuf text = {0};
    int failed = sim_buf_append(&text, "", 0);
    const char *at = block->prompt;
    for (const char *hit = strstr(at, IMAGE_MARKER); hit && !failed; hit = strstr(at, IMAGE_MARKER)) {
        failed = sim_buf_append(&text, at, (size_t)(hit - at)) ||
                 sim_buf_append_str(&text, block->start) || sim_buf_append_str(&text, block->end);
        at = hit + strlen(IMAGE_MARKER);
    }
    failed = failed || sim_buf_append_str(&text, at);
    if (failed) {
        sim_buf_free(&text);
        return NULL;
    }
    return text.data;
}

/* The "[[vision]]" answer; NULL when out of memory. */
static char *vision_answer(const SimImageBlock *block, long long embedding_size) {
    SimBuf text = {0};
    char head[256];
    snprintf(head, sizeof head, "vision images=%zu image_tokens=%zu start=", block->n_image,
             block->n_image_tokens);
    int failed = sim_buf_append_str(&text, head) || sim_buf_append_str(&text, block->start) ||
                 sim_buf_append_str(&text, " end=") || sim_buf_append_str(&text, block->end) ||
                 sim_buf_append_str(&text, " colours=");
    for (size_t image = 0; image < block->n_image && !failed; image++) {
        double sums[3] = {0, 0, 0};
        for (size_t row = 0; row < block->n_image_tokens; row++) {
            const float *values =
                block->embed + (image * block->n_image_tokens + row) * (size_t)embedding_size;
            for (int channel = 0; channel < 3; channel++) sums[channel] += values[channel];
        }
        int rgb[3];
        for (int channel = 0; channel < 3; channel++) {
            double mean = sums[channel] / (double)block->n_image_tokens;
            double value = 255.0 * mean + 0.5; /* round half up, without libm */
            rgb[channel] = !(value >= 0) ? 0 : value >= 255 ? 255 : (int)value;
        }
        char colour[16];
        snprintf(colour, sizeof colour, "%s#%02x%02x%02x", image > 0 ? "," : "", rgb[0], rgb[1], rgb[2]);
        failed = sim_buf_append_str(&text, colour);
    }
    if (failed) {
        sim_buf_free(&text);
        return NULL;
    }
    return text.data;
}

int sim_multimodal_prepare(const SimHandle *sim, const RKLLMInput *input, SimMultimodal *out) {
    *out = (SimMultimodal){0};
    SimImageBlock block = image_block(sim, input);
    if (!block.prompt) {
        sim_log_error("multimodal_input.prompt is NULL");
        return -1;
    }
    size_t markers = count_markers(block.prompt);
    if (markers != block.n_image) {
        sim_log_error("the prompt has %zu %s markers but n_image is %zu", markers, IMAGE_MARKER,
                      block.n_image);
        return -1;
    }
    if (block.n_image > SIM_MAX_IMAGES) {
        sim_log_error("n_image %zu is more than the simulator takes (%d)", block.n_image, SIM_MAX_IMAGES);
        return -1;
    }
    if (block.n_image > 0 && (block.n_image_tokens == 0 || block.n_image_tokens > SIM_MAX_IMAGE_TOKENS)) {
        sim_log_error("n_image_tokens %zu is invalid", block.n_image_tokens);
        return -1;
    }
    if (block.n_image > 0 && !block.embed) {
        sim_log_error("image_embed is NULL");
        return -1;
    }
    long long embedding_size = sim->model.embedding_size;
    if (block.n_image > 0 && embedding_size < 3) {
        sim_log_error("the model's embedding_size %lld is too small", embedding_size);
        return -1;
    }
    out->prompt = expand(&block);
    out->image_tokens = (int)(block.n_image * block.n_image_tokens);
    if (out->prompt && strstr(block.prompt, VISION_REQUEST))
        if (!(out->answer = vision_answer(&block, embedding_size))) {
            free(out->prompt);
            out->prompt = NULL;
        }
    if (!out->prompt) {
        sim_log_error("out of memory");
        return -1;
    }
    sim_event("multimodal n_image=%zu n_image_tokens=%zu image_width=%zu image_height=%zu "
              "image_start=%s image_end=%s image_content=%s",
              block.n_image, block.n_image_tokens, block.width, block.height, block.start, block.end,
              block.content);
    return 0;
}

void sim_multimodal_free(SimMultimodal *mm) {
    free(mm->prompt);
    free(mm->answer);
    *mm = (SimMultimodal){0};
}
