/*
 * bench_timer.h — the one clock every benchmark reads.
 *
 * All timed regions in coremod-bench go through bench_timer_now_ns(), so that changing the clock
 * source (a later issue adds a timestamp-counter kernel) touches this file pair only.
 */
#ifndef COREMOD_BENCH_TIMER_H
#define COREMOD_BENCH_TIMER_H

#include <stdint.h>

/* Monotonic time in nanoseconds from an arbitrary origin (clock_gettime(CLOCK_MONOTONIC)). */
uint64_t bench_timer_now_ns(void);

/* Human-readable name of the clock source, recorded in the results file. */
const char* bench_timer_source(void);

/* Resolution the kernel reports for the clock, in nanoseconds. */
uint64_t bench_timer_resolution_ns(void);

/* Median cost of one bench_timer_now_ns() call, measured now over back-to-back calls: what a
 * timed region of batch 1 carries on top of the operation itself. */
uint64_t bench_timer_overhead_ns(void);

#endif /* COREMOD_BENCH_TIMER_H */
