/*
 * test_tsc.c — the tick counters: monotonic over many reads (on one CPU, so a migration between
 * unsynchronised counters cannot be mistaken for a bug), and each reader's rate as measured by
 * coremod_tsc_calibrate_hz agrees with what its frequency function says (within a factor of 2:
 * no timing budget is asserted; a counter of the wrong clock or rate breaks it), and the
 * assembly read equals the counter as the compiler reads it.
 */
#include <criterion/criterion.h>
#include <sched.h>

#include "tsc.h"

typedef struct {
    const char* name;
    coremod_tick_reader_fn read;
    uint64_t (*frequency)(void);
} tick_source_t;

static const tick_source_t sources[] = {
    {"c", coremod_tsc_read_c, coremod_tsc_frequency_hz_c},
    {"dispatched", coremod_tsc_read, coremod_tsc_frequency_hz},
#if COREMOD_KERNELS_HAVE_ASM
    {"asm", coremod_tsc_read_asm, coremod_tsc_frequency_hz_asm},
#endif
};

static void pin_to_current_cpu(void)
{
#if defined(__linux__)
    int cpu = sched_getcpu();
    if (cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        (void)sched_setaffinity(0, sizeof set, &set); /* best effort: the test still runs */
    }
#endif
}

Test(tsc, reads_never_go_backwards)
{
    pin_to_current_cpu();
    for (size_t s = 0; s < sizeof sources / sizeof sources[0]; s++) {
        uint64_t previous = sources[s].read(), first = previous;
        for (int i = 0; i < 200000; i++) {
            uint64_t now = sources[s].read();
            cr_assert_geq(now, previous, "%s: read %d went back from %llu to %llu", sources[s].name,
                          i, (unsigned long long)previous, (unsigned long long)now);
            previous = now;
        }
        cr_assert_gt(previous, first, "%s: the counter did not advance over 200000 reads",
                     sources[s].name);
    }
}

Test(tsc, calibrated_rate_agrees_with_the_stated_frequency)
{
    for (size_t s = 0; s < sizeof sources / sizeof sources[0]; s++) {
        uint64_t measured = coremod_tsc_calibrate_hz(sources[s].read, 20000);
        cr_assert_gt(measured, 0, "%s: calibration failed", sources[s].name);
        uint64_t stated = sources[s].frequency();
        if (stated == 0) {
            /* x86-64 TSC: unknown by design; a TSC runs between 100 MHz and 10 GHz */
            cr_assert(measured > UINT64_C(100000000) && measured < UINT64_C(10000000000),
                      "%s: implausible calibrated rate %llu Hz", sources[s].name,
                      (unsigned long long)measured);
            continue;
        }
        cr_assert(measured >= stated / 2 && measured <= stated * 2,
                  "%s: measured %llu Hz, frequency function says %llu Hz", sources[s].name,
                  (unsigned long long)measured, (unsigned long long)stated);
    }
}

#if COREMOD_KERNELS_HAVE_ASM
/* The counter read by the compiler's own means (builtin / one inline instruction): the assembly
 * read taken between two of them must lie between them — exact, so a wrong shift or a dropped
 * high half shows at once, not only when the low 32 bits wrap. */
static uint64_t reference_counter(void)
{
#if defined(__x86_64__)
    return __builtin_ia32_rdtsc();
#else
    uint64_t value;
    __asm__ __volatile__("isb\n\tmrs %0, cntvct_el0" : "=r"(value) : : "memory");
    return value;
#endif
}

Test(tsc, asm_read_lies_between_reference_reads)
{
    pin_to_current_cpu();
    for (int i = 0; i < 1000; i++) {
        uint64_t before = reference_counter();
        uint64_t mine = coremod_tsc_read_asm();
        uint64_t after = reference_counter();
        cr_assert(before <= mine && mine <= after, "read %d: %llu not within [%llu, %llu]", i,
                  (unsigned long long)mine, (unsigned long long)before, (unsigned long long)after);
    }
}
#endif

Test(tsc, c_twin_is_nanoseconds)
{
    cr_assert_eq(coremod_tsc_frequency_hz_c(), UINT64_C(1000000000));
#if defined(__x86_64__)
    cr_assert_eq(coremod_tsc_frequency_hz_asm(), 0, "x86-64 reports the TSC rate as unknown");
#elif COREMOD_KERNELS_HAVE_ASM
    cr_assert_gt(coremod_tsc_frequency_hz_asm(), 0, "CNTFRQ_EL0 is set by firmware");
#endif
}

Test(tsc, calibration_rejects_bad_arguments)
{
    cr_assert_eq(coremod_tsc_calibrate_hz(NULL, 1000), 0);
    cr_assert_eq(coremod_tsc_calibrate_hz(coremod_tsc_read_c, 0), 0);
}
