// libpng classic-API decoder behind attune_png_decode (see include/pngreader.h). Every libpng error longjmps
// back to the setjmp in attune_png_decode, which frees what was allocated and returns a status.
#include "pngreader.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
    int truncated;
    char *message;
    size_t message_size;
} reader_state;

static void report_error(png_structp png, png_const_charp text) {
    reader_state *state = png_get_error_ptr(png);
    snprintf(state->message, state->message_size, "%s", text);
    png_longjmp(png, 1);
}

// Warnings concern ancillary data (a bad text chunk, an unknown profile); the image itself is still good.
static void ignore_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

static void read_memory(png_structp png, png_bytep out, size_t length) {
    reader_state *state = png_get_io_ptr(png);
    if (length > state->size - state->offset) {
        state->truncated = 1;
        png_error(png, "the data ends before the image is complete");
    }
    memcpy(out, state->data + state->offset, length);
    state->offset += length;
}

attune_png_status attune_png_decode(const uint8_t *data, size_t size, uint64_t max_pixels,
                                    attune_png_info *info, void **pixels, char *message, size_t message_size) {
    *pixels = NULL;
    if (message_size > 0) message[0] = 0;
    size_t signature_bytes = size < 8 ? size : 8;
    if (size == 0 || png_sig_cmp(data, 0, signature_bytes) != 0) return ATTUNE_PNG_NOT_PNG;
    if (size < 8) return ATTUNE_PNG_TRUNCATED;

    reader_state state = {data, size, 0, 0, message, message_size};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &state, report_error, ignore_warning);
    if (png == NULL) return ATTUNE_PNG_OUT_OF_MEMORY;
    png_infop png_info = png_create_info_struct(png);
    if (png_info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        return ATTUNE_PNG_OUT_OF_MEMORY;
    }
    // Written between setjmp and longjmp, so volatile: the error path must see their latest values.
    png_bytep volatile buffer = NULL;
    png_bytepp volatile rows = NULL;
    if (setjmp(png_jmpbuf(png))) {
        free(rows);
        free(buffer);
        png_destroy_read_struct(&png, &png_info, NULL);
        return state.truncated ? ATTUNE_PNG_TRUNCATED : ATTUNE_PNG_CORRUPT;
    }
    png_set_read_fn(png, &state, read_memory);
    // The caller's pixel limit decides what is too large; libpng's default 1e6-pixel side limit would call it corrupt.
    png_set_user_limits(png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
    png_read_info(png, png_info);

    png_uint_32 width = 0, height = 0;
    int depth = 0, color_type = 0;
    png_get_IHDR(png, png_info, &width, &height, &depth, &color_type, NULL, NULL, NULL);
    info->width = width;
    info->height = height;
    info->color_type = (uint8_t)color_type;
    info->file_bit_depth = (uint8_t)depth;
    info->bit_depth = depth == 16 ? 16 : 8;
    int has_trns = png_get_valid(png, png_info, PNG_INFO_tRNS) != 0;
    info->has_alpha = (color_type & PNG_COLOR_MASK_ALPHA) != 0 || has_trns;
    if ((uint64_t)width * height > max_pixels) {
        png_destroy_read_struct(&png, &png_info, NULL);
        snprintf(message, message_size, "%u x %u pixels exceed the limit of %llu", (unsigned)width, (unsigned)height,
                 (unsigned long long)max_pixels);
        return ATTUNE_PNG_TOO_LARGE;
    }

    png_set_expand(png);  // palette -> RGB, gray below 8 bits -> 8 bits, tRNS -> alpha channel
    png_set_gray_to_rgb(png);
    if (!info->has_alpha) png_set_add_alpha(png, 0xffff, PNG_FILLER_AFTER);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (depth == 16) png_set_swap(png);  // PNG stores 16-bit samples big-endian
#endif
    png_set_interlace_handling(png);
    png_read_update_info(png, png_info);

    size_t row_bytes = png_get_rowbytes(png, png_info);
    size_t expected_row_bytes = (size_t)width * 4 * (info->bit_depth / 8);
    if (row_bytes != expected_row_bytes) png_error(png, "unexpected row size after expansion to RGBA");
    buffer = malloc(row_bytes * height);
    rows = malloc(sizeof(png_bytep) * height);
    if (buffer == NULL || rows == NULL) {
        free(rows);
        free(buffer);
        png_destroy_read_struct(&png, &png_info, NULL);
        snprintf(message, message_size, "cannot allocate %zu bytes", row_bytes * height);
        return ATTUNE_PNG_OUT_OF_MEMORY;
    }
    for (png_uint_32 y = 0; y < height; y++) rows[y] = buffer + (size_t)y * row_bytes;
    png_read_image(png, rows);

    free(rows);
    png_destroy_read_struct(&png, &png_info, NULL);
    *pixels = buffer;
    return ATTUNE_PNG_OK;
}
