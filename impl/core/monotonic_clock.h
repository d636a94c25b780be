/*
 * monotonic_clock.h — the one clock of the implementation (SPEC 3.9: load_time_us is measured on
 * a monotonic clock, so wall-clock adjustments never give a negative or inflated duration).
 */
#ifndef COREMOD_MONOTONIC_CLOCK_H
#define COREMOD_MONOTONIC_CLOCK_H

#include <stdint.h>

/* Nanoseconds since an arbitrary fixed point (CLOCK_MONOTONIC). */
uint64_t monotonic_clock_ns(void);

/* Microseconds elapsed from start_ns to end_ns, rounded up: any elapsed time gives at least 1. */
uint64_t monotonic_clock_elapsed_us(uint64_t start_ns, uint64_t end_ns);

#endif /* COREMOD_MONOTONIC_CLOCK_H */
