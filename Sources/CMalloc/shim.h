// glibc's allocator tuning (mallopt), which Swift's Glibc module does not expose.
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

/// Raises glibc's mmap and trim thresholds to `limit` bytes, so freed blocks below it stay in the
/// heap for reuse; 1 when both were applied, 0 otherwise (or on a C library without mallopt).
static inline int cmalloc_keep_freed_blocks(int limit) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, limit) == 1 && mallopt(M_TRIM_THRESHOLD, limit) == 1;
#else
    (void)limit;
    return 0;
#endif
}
