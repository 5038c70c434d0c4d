// Linked into the GPU bundle's portrait only (scripts/make-gpu-bundle.sh): the two glibc 2.32+
// symbols that the static libstdc++ and the static Swift runtime (built against a newer glibc)
// reference, defined here so the binary links against the glibc 2.31 sysroot and runs on it.
// On a newer glibc the executable's definitions serve its own references; libc keeps its own.
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/random.h>
#include <unistd.h>

// glibc 2.32: nonzero while the process has one thread; libstdc++ then skips atomic operations.
// 0 ("perhaps several threads") always takes the atomic paths: correct, at most a little slower.
char __libc_single_threaded = 0;

// glibc 2.36: 32 random bits from the kernel (getrandom, glibc 2.25; /dev/urandom if that is
// unavailable). Like glibc's, it never fails: without any source of randomness it aborts.
uint32_t arc4random(void) {
    uint32_t value;
    for (;;) {
        ssize_t got = getrandom(&value, sizeof value, 0);
        if (got == (ssize_t)sizeof value) return value;
        if (got < 0 && errno == EINTR) continue;
        break;
    }
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t got = read(fd, &value, sizeof value);
        close(fd);
        if (got == (ssize_t)sizeof value) return value;
    }
    abort();
}
