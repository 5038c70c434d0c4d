// libpng 1.6 simplified API (png_image): no setjmp/longjmp, safe to call from Swift.
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
