/*
 * bench_timer.h — the one clock every benchmark reads.
 *
 * All timed regions in coremod-bench go through bench_timer_now_ns(). The clock is impl/asm's
 * timestamp-counter kernel (coremod_tsc_read: LFENCE;RDTSC;LFENCE on x86-64, ISB;MRS CNTVCT_EL0 on
 * AArch64) converted to nanoseconds, when its rate is known and constant: on AArch64 the
 * architected rate (CNTFRQ_EL0); on x86-64 an invariant TSC (CPUID 0x80000007 EDX bit 8)
 * calibrated once against CLOCK_MONOTONIC. Otherwise, or when the environment says
 * COREMOD_BENCH_TIMER=monotonic, clock_gettime(CLOCK_MONOTONIC). bench_timer_source() says which,
 * and the results file records it.
 */
#ifndef COREMOD_BENCH_TIMER_H
#define COREMOD_BENCH_TIMER_H

#include <stdint.h>

/* Chooses the clock (and calibrates the TSC: about 20 ms). Called once by main before anything is
 * timed; bench_timer_now_ns() calls it too if main did not. */
void bench_timer_init(void);

/* Monotonic time in nanoseconds from an arbitrary origin. */
uint64_t bench_timer_now_ns(void);

/* Human-readable name of the clock source and its rate, recorded in the results file. */
const char* bench_timer_source(void);

/* Resolution of the clock in nanoseconds (one tick, rounded up; the kernel's figure for
 * CLOCK_MONOTONIC). */
uint64_t bench_timer_resolution_ns(void);

/* Median cost of one bench_timer_now_ns() call, measured now over back-to-back calls: what a
 * timed region of batch 1 carries on top of the operation itself. */
uint64_t bench_timer_overhead_ns(void);

#endif /* COREMOD_BENCH_TIMER_H */
