/*
 * tsc_c.c — the C twin of the tick counter: CLOCK_MONOTONIC in nanoseconds (1 GHz ticks).
 * Slower than the counter instructions (a vDSO call) but portable and always calibrated.
 */
#include "tsc.h"

#include <time.h>

uint64_t COREMOD_C_TWIN(tsc_read)(void)
{
    struct timespec ts;
    /* CLOCK_MONOTONIC cannot fail with a valid pointer on Linux or macOS. */
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ts.tv_nsec;
}

uint64_t COREMOD_C_TWIN(tsc_frequency_hz)(void)
{
    return UINT64_C(1000000000);
}
