/* bench_timer.c — see bench_timer.h. */
#include "bench_timer.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tsc.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

/* Calibration window of the x86-64 TSC against CLOCK_MONOTONIC: about 0.1 % on an idle machine
 * (tsc.h), far below the run-to-run noise the gates see. */
#define TSC_CALIBRATION_US 20000u

static struct {
    bool ready;
    bool use_ticks;
    uint64_t origin_ticks;
    double ns_per_tick;
    uint64_t hz;
    char source[160];
} timer;

static uint64_t monotonic_ns(void)
{
    struct timespec now;
    /* CLOCK_MONOTONIC cannot fail with a valid pointer on Linux; it is served from the vDSO, so
     * a read costs tens of nanoseconds and no system call. */
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

/* The tick counter's rate when it is known to be constant, else 0 (and why, in `why`). */
static uint64_t constant_tick_rate(const char** how, const char** why)
{
#if defined(__x86_64__) && COREMOD_KERNELS_HAVE_ASM
    unsigned eax, ebx, ecx, edx;
    /* A TSC that changes rate with the core's frequency or stops in deep sleep would turn
     * frequency changes into timing changes: only an invariant one is used. */
    if (__get_cpuid(0x80000007u, &eax, &ebx, &ecx, &edx) == 0 || (edx & (1u << 8)) == 0) {
        *why = "the TSC is not invariant (CPUID 0x80000007 EDX bit 8 clear)";
        return 0;
    }
    *how = "calibrated against CLOCK_MONOTONIC";
    return coremod_tsc_calibrate_hz(coremod_tsc_read, TSC_CALIBRATION_US);
#elif defined(__aarch64__) && COREMOD_KERNELS_HAVE_ASM
    (void)why;
    *how = "CNTFRQ_EL0";
    return coremod_tsc_frequency_hz(); /* the generic timer's architected, constant rate */
#else
    *why = "this build has no timestamp-counter kernel (-Dkernels=c or another architecture)";
    (void)how;
    return 0;
#endif
}

void bench_timer_init(void)
{
    if (timer.ready) {
        return;
    }
    const char* forced = getenv("COREMOD_BENCH_TIMER");
    const char* how = "";
    const char* why = "COREMOD_BENCH_TIMER=monotonic";
    uint64_t hz = 0;
    if (forced == NULL || strcmp(forced, "monotonic") != 0) {
        why = NULL;
        hz = constant_tick_rate(&how, &why);
        if (hz == 0 && why == NULL) {
            why = "the counter did not advance while it was calibrated";
        }
    }
    if (hz != 0) {
        timer.use_ticks = true;
        timer.hz = hz;
        timer.ns_per_tick = 1e9 / (double)hz;
        timer.origin_ticks = coremod_tsc_read();
#if defined(__x86_64__)
        const char* reader = "rdtsc";
#else
        const char* reader = "cntvct_el0";
#endif
        snprintf(timer.source, sizeof timer.source, "%s (impl/asm coremod_tsc_read), %.6g MHz %s",
                 reader, (double)hz / 1e6, how);
    } else {
        timer.use_ticks = false;
        snprintf(timer.source, sizeof timer.source, "clock_gettime(CLOCK_MONOTONIC): %s", why);
    }
    timer.ready = true;
}

uint64_t bench_timer_now_ns(void)
{
    if (!timer.ready) {
        bench_timer_init();
    }
    if (timer.use_ticks) {
        /* Ticks since the origin fit a double's 53-bit mantissa for months at GHz rates. */
        return (uint64_t)((double)(coremod_tsc_read() - timer.origin_ticks) * timer.ns_per_tick);
    }
    return monotonic_ns();
}

const char* bench_timer_source(void)
{
    bench_timer_init();
    return timer.source;
}

uint64_t bench_timer_resolution_ns(void)
{
    bench_timer_init();
    if (timer.use_ticks) {
        return (uint64_t)ceil(1e9 / (double)timer.hz);
    }
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
