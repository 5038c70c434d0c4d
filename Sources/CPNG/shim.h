// libpng 1.6 simplified API (png_image): no setjmp/longjmp, safe to call from Swift.
#include <png.h>
