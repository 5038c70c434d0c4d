// libpng 1.6 simplified API (png_image): no setjmp/longjmp, safe to call from Swift; and one
// writer (cpng_write_rgb8) that keeps libpng's setjmp/longjmp error handling inside C.
#include <png.h>
#include <string.h>

/// A zeroed png_image with the version field set, as the simplified API requires.
static inline png_image cpng_new_image(void) {
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    return image;
}

/// The libpng failure message held in `image` (valid until png_image_free).
static inline const char *cpng_message(const png_image *image) { return image->message; }

/// PNG_IMAGE_FAILED: non-zero when the last operation failed (warnings do not count).
static inline int cpng_failed(const png_image *image) { return PNG_IMAGE_FAILED(*image); }

#include <setjmp.h>
#include <stdlib.h>

/// A growing memory buffer that cpng_write_rgb8 writes the PNG stream into.
typedef struct {
    unsigned char *data;
    size_t size;
    size_t capacity;
    int failed;
} cpng_buffer;

static inline void cpng_buffer_write(png_structp png, png_bytep bytes, size_t length) {
    cpng_buffer *out = (cpng_buffer *)png_get_io_ptr(png);
    if (out->failed) return;
    if (out->size + length > out->capacity) {
        size_t capacity = out->capacity ? out->capacity : 65536;
        while (capacity < out->size + length) capacity *= 2;
        unsigned char *grown = (unsigned char *)realloc(out->data, capacity);
        if (!grown) { out->failed = 1; png_error(png, "out of memory"); }
        out->data = grown;
        out->capacity = capacity;
    }
    memcpy(out->data + out->size, bytes, length);
    out->size += length;
}

static inline void cpng_buffer_flush(png_structp png) { (void)png; }

/// libpng reports a fatal error here: keep its message, then return to cpng_write_rgb8's setjmp.
static inline void cpng_write_error(png_structp png, png_const_charp message) {
    char *kept = (char *)png_get_error_ptr(png);
    if (kept) { strncpy(kept, message, 255); kept[255] = 0; }
    png_longjmp(png, 1);
}

static inline void cpng_write_warning(png_structp png, png_const_charp message) { (void)png; (void)message; }

/// Encodes `height` rows of `width` 8-bit RGB pixels (`rgb`, rows packed) as a PNG into `out`
/// (free out->data with free()), with zlib level `level` (0-9) and the libpng filter set
/// `filters` (PNG_FILTER_NONE, PNG_FILTER_SUB... or PNG_ALL_FILTERS). libpng's errors longjmp
/// back here, so the caller (Swift) never sees a longjmp. Returns 1, or 0 with `message` (256
/// bytes) filled.
static inline int cpng_write_rgb8(const unsigned char *rgb, unsigned width, unsigned height, int level, int filters,
                                  cpng_buffer *out, char *message) {
    message[0] = 0;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, message, cpng_write_error, cpng_write_warning);
    if (!png) { strcpy(message, "png_create_write_struct failed"); return 0; }
    png_infop info = png_create_info_struct(png);
    if (!info) { png_destroy_write_struct(&png, NULL); strcpy(message, "png_create_info_struct failed"); return 0; }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        if (!message[0]) strcpy(message, "libpng write error");
        return 0;
    }
    png_set_write_fn(png, out, cpng_buffer_write, cpng_buffer_flush);
    png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, level);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, filters);
    png_write_info(png, info);
    for (unsigned y = 0; y < height; y++) png_write_row(png, (png_const_bytep)(rgb + (size_t)y * width * 3));
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return 1;
}
