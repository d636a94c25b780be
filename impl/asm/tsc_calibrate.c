/*
 * tsc_calibrate.c — measures a tick counter's rate against CLOCK_MONOTONIC. Needed on x86-64,
 * where the TSC frequency is not readable from user space; usable for any reader.
 */
#include "tsc.h"

#include <time.h>

static uint64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ts.tv_nsec;
}

typedef struct {
    uint64_t ns; /* midpoint of the bracketing monotonic reads */
    uint64_t ticks;
} clock_pair_t;

/* A (monotonic, ticks) pair read at one instant: of several brackets ns0 <= ticks <= ns1 the
 * narrowest wins, so a preemption inside one bracket is discarded instead of skewing the rate. */
static clock_pair_t read_pair(coremod_tick_reader_fn reader)
{
    clock_pair_t best = {0, 0};
    uint64_t best_width = UINT64_MAX;
    for (int attempt = 0; attempt < 16; attempt++) {
        uint64_t before = monotonic_ns();
        uint64_t ticks = reader();
        uint64_t after = monotonic_ns();
        if (after - before < best_width) {
            best_width = after - before;
            best.ns = before + (after - before) / 2;
            best.ticks = ticks;
        }
    }
    return best;
}

uint64_t coremod_tsc_calibrate_hz(coremod_tick_reader_fn reader, uint32_t window_us)
{
    if (reader == NULL || window_us == 0)
        return 0;
    clock_pair_t start = read_pair(reader);
    uint64_t deadline = start.ns + (uint64_t)window_us * 1000u;
    while (monotonic_ns() < deadline) {
        /* busy-wait: sleeping would let the CPU change frequency state, which a non-invariant
         * counter would follow */
    }
    clock_pair_t end = read_pair(reader);
    if (end.ticks <= start.ticks || end.ns <= start.ns)
        return 0;
    /* ticks * 1e9 / ns without overflow for any realistic rate (< 2^64 / 1e9 ticks = 18e9,
     * i.e. windows under several seconds at GHz rates); long double keeps it simple and exact
     * enough (64-bit mantissa on x86-64; double elsewhere loses nothing at these magnitudes). */
    long double hz =
        (long double)(end.ticks - start.ticks) * 1e9L / (long double)(end.ns - start.ns);
    return (uint64_t)(hz + 0.5L);
}
