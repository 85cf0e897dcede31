// Decoding a PNG held in memory through libpng's classic API, with libpng's longjmp error reports caught here in C.
// Swift frames must never be crossed by longjmp, and libpng's simplified API cannot return exact 16-bit samples
// (its 16-bit formats are gamma-converted to linear light and premultiplied by alpha), hence this small target.
#ifndef ATTUNE_PNGREADER_H
#define ATTUNE_PNGREADER_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    ATTUNE_PNG_OK = 0,
    /// The data does not start with the PNG signature.
    ATTUNE_PNG_NOT_PNG,
    /// The data ends before the image is complete.
    ATTUNE_PNG_TRUNCATED,
    /// libpng rejected the data (bad chunk, CRC mismatch, invalid compressed stream, ...); see the message.
    ATTUNE_PNG_CORRUPT,
    /// width * height exceeds the caller's limit.
    ATTUNE_PNG_TOO_LARGE,
    ATTUNE_PNG_OUT_OF_MEMORY,
} attune_png_status;

typedef struct {
    uint32_t width;
    uint32_t height;
    /// Bit depth of the returned samples: 8, or 16 for 16-bit files.
    uint8_t bit_depth;
    /// PNG colour type of the file: 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA.
    uint8_t color_type;
    /// Bit depth as stored in the file (1, 2, 4, 8 or 16).
    uint8_t file_bit_depth;
    /// 1 when the file has an alpha channel or a tRNS chunk.
    uint8_t has_alpha;
} attune_png_info;

/// Decodes `data[0..<size]` into RGBA samples, 4 per pixel, rows top to bottom, exactly as stored (no gamma or
/// colour-profile conversion; palette, gray and tRNS expanded; opaque files get alpha = max). Samples are uint8
/// when info->bit_depth is 8 and native-endian uint16 when it is 16. On success *pixels is malloc'ed (free it);
/// on failure *pixels is NULL and `message` holds libpng's reason.
attune_png_status attune_png_decode(const uint8_t *data, size_t size, uint64_t max_pixels,
                                    attune_png_info *info, void **pixels, char *message, size_t message_size);

#endif
