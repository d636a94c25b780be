/*
 * tsc.h — a cheap, monotonic tick counter for the benchmark timers.
 *
 * Assembly: x86-64 LFENCE; RDTSC; LFENCE (the fences keep the read from moving across the timed
 * code); AArch64 ISB; MRS CNTVCT_EL0 (the ISB stops the read from being done early).
 * The tick rate: AArch64 reads CNTFRQ_EL0. On x86-64 the TSC rate is not architecturally
 * readable from user space, so coremod_tsc_frequency_hz_asm returns 0 ("unknown") and callers
 * calibrate with coremod_tsc_calibrate_hz against CLOCK_MONOTONIC.
 * C twin: CLOCK_MONOTONIC in nanoseconds, so its frequency is exactly 1 GHz.
 *
 * Always use a read function together with the frequency function of the same name family.
 */
#ifndef COREMOD_TSC_H
#define COREMOD_TSC_H

#include <stdint.h>

#include "kernel_arch.h"

typedef uint64_t (*coremod_tick_reader_fn)(void);

uint64_t coremod_tsc_read(void);
uint64_t coremod_tsc_read_c(void);
/* Ticks per second of the matching reader; 0 when it cannot be known without calibrating. */
uint64_t coremod_tsc_frequency_hz(void);
uint64_t coremod_tsc_frequency_hz_c(void);
#if COREMOD_KERNELS_HAVE_ASM
uint64_t coremod_tsc_read_asm(void);
uint64_t coremod_tsc_frequency_hz_asm(void);
#endif

/*
 * Measures reader's ticks per second against CLOCK_MONOTONIC over window_us microseconds
 * (busy-waiting; 1000..1000000 is sensible, 10000 gives about 0.1 % on an idle machine).
 * Each end of the window is read as the tightest of several back-to-back
 * (monotonic, ticks, monotonic) brackets, so a preemption between the two reads does not skew it.
 * Returns 0 if reader is NULL, window_us is 0 or the counter did not advance.
 */
uint64_t coremod_tsc_calibrate_hz(coremod_tick_reader_fn reader, uint32_t window_us);

#endif /* COREMOD_TSC_H */
