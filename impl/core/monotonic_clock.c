/* monotonic_clock.c — see monotonic_clock.h. */
#include "monotonic_clock.h"

#include <time.h>

uint64_t monotonic_clock_ns(void)
{
    struct timespec now;
    /* CLOCK_MONOTONIC cannot fail with a valid clock id and pointer (POSIX); no fallback needed. */
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

uint64_t monotonic_clock_elapsed_us(uint64_t start_ns, uint64_t end_ns)
{
    if (end_ns <= start_ns) {
        return 0;
    }
    return (end_ns - start_ns + 999u) / 1000u;
}
