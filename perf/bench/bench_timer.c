/* bench_timer.c — see bench_timer.h. */
#include "bench_timer.h"

#include <stdlib.h>
#include <time.h>

uint64_t bench_timer_now_ns(void)
{
    struct timespec now;
    /* CLOCK_MONOTONIC cannot fail with a valid pointer on Linux; it is served from the vDSO, so
     * a read costs tens of nanoseconds and no system call. */
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

const char* bench_timer_source(void)
{
    return "clock_gettime(CLOCK_MONOTONIC)";
}

uint64_t bench_timer_resolution_ns(void)
{
    struct timespec res;
    if (clock_getres(CLOCK_MONOTONIC, &res) != 0) {
        return 0;
    }
    return (uint64_t)res.tv_sec * 1000000000u + (uint64_t)res.tv_nsec;
}

static int compare_u64(const void* a, const void* b)
{
    uint64_t x = *(const uint64_t*)a;
    uint64_t y = *(const uint64_t*)b;
    return (x > y) - (x < y);
}

uint64_t bench_timer_overhead_ns(void)
{
    enum { READS = 1001 };
    static uint64_t deltas[READS];
    for (size_t i = 0; i < READS; i++) {
        uint64_t start = bench_timer_now_ns();
        deltas[i] = bench_timer_now_ns() - start;
    }
    qsort(deltas, READS, sizeof(deltas[0]), compare_u64);
    return deltas[READS / 2];
}
