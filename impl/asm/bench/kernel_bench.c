/*
 * kernel_bench.c — coremod-kernel-bench: each kernel's assembly against its C twin, in
 * nanoseconds per unit of work (word, element, byte, prefetch, call). Each figure is the median
 * of many samples; a sample times a batch of calls long enough (>= ~50 µs) that the clock's own
 * cost and resolution do not matter. Prints a table, or JSON with --json.
 *
 * Usage: coremod-kernel-bench [--samples N] [--json]
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "insn_classify.h"
#include "prefetch_range.h"
#include "processor_state.h"
#include "scale_add.h"
#include "secure_zero.h"
#include "tsc.h"

#if !COREMOD_KERNELS_HAVE_ASM
int main(void)
{
    fprintf(stderr, "coremod-kernel-bench: no assembly kernels on this architecture\n");
    return 2;
}
#else

/* The case being measured: one call of `run` does `units` units of work. */
typedef struct bench_case bench_case_t;
struct bench_case {
    const char* kernel;
    const char* workload;
    const char* unit;
    double units;
    void (*run)(const bench_case_t*, bool use_asm);
};

static void* g_in;
static void* g_out;
static volatile uint64_t g_sink; /* keeps results alive so no call is optimised away */

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ts.tv_nsec;
}

static int compare_double(const void* a, const void* b)
{
    double x = *(const double*)a, y = *(const double*)b;
    return (x > y) - (x < y);
}

/* Median ns per unit over `samples` batches. */
static double measure(const bench_case_t* bc, bool use_asm, int samples)
{
    uint64_t batch = 1;
    for (;;) { /* grow the batch to >= 50 µs */
        uint64_t start = now_ns();
        for (uint64_t i = 0; i < batch; i++)
            bc->run(bc, use_asm);
        if (now_ns() - start >= 50000 || batch >= (UINT64_C(1) << 30))
            break;
        batch *= 2;
    }
    double* per_unit = malloc((size_t)samples * sizeof *per_unit);
    if (per_unit == NULL)
        return -1;
    for (int s = 0; s < samples; s++) {
        uint64_t start = now_ns();
        for (uint64_t i = 0; i < batch; i++)
            bc->run(bc, use_asm);
        per_unit[s] = (double)(now_ns() - start) / (double)batch / bc->units;
    }
    qsort(per_unit, (size_t)samples, sizeof *per_unit, compare_double);
    double median = per_unit[samples / 2];
    free(per_unit);
    return median;
}

static void run_classify(const bench_case_t* bc, bool use_asm)
{
    coremod_insn_counts_t counts;
    if (use_asm)
        coremod_insn_classify_asm(g_in, (size_t)bc->units, &counts);
    else
        coremod_insn_classify_c(g_in, (size_t)bc->units, &counts);
    g_sink += counts.loads;
}

static void run_scale_add(const bench_case_t* bc, bool use_asm)
{
    (use_asm ? coremod_scale_add_f32_asm : coremod_scale_add_f32_c)(g_in, g_out, (size_t)bc->units);
    g_sink += ((const uint32_t*)g_out)[0];
}

static void run_secure_zero(const bench_case_t* bc, bool use_asm)
{
    (use_asm ? coremod_secure_zero_asm : coremod_secure_zero_c)(g_out, (size_t)bc->units);
}

static void run_prefetch(const bench_case_t* bc, bool use_asm)
{
    size_t bytes = (size_t)bc->units * 64;
    g_sink += (use_asm ? coremod_prefetch_range_asm : coremod_prefetch_range_c)(g_in, bytes, 64, 0);
}

static void run_tsc(const bench_case_t* bc, bool use_asm)
{
    for (int i = 0; i < (int)bc->units; i++)
        g_sink += (use_asm ? coremod_tsc_read_asm : coremod_tsc_read_c)();
}

static void run_capture(const bench_case_t* bc, bool use_asm)
{
    coremod_processor_state_t st;
    (void)bc;
    (use_asm ? coremod_capture_processor_state_asm : coremod_capture_processor_state_c)(&st);
    g_sink += st.pc;
}

/* A realistic instruction mix without the test generator: the words of a few common
 * instructions (loads, stores, ALU, FP, branches with backward offsets) picked at random. */
static void fill_code(uint32_t* words, size_t n)
{
    static const uint32_t mix[] = {
        0xF9400020u, 0xB9400420u, 0xF9000020u, 0xA9407BFDu, 0xA9BF7BFDu, 0x8B020020u, 0xD1000421u,
        0xF100043Fu, 0x54FFFF81u, 0x17FFFFF0u, 0x94000010u, 0xD65F03C0u, 0x1E222820u, 0x4EA21C20u,
        0x3DC00020u, 0xB4000040u, 0x36180041u, 0xD63F0100u, 0x52800020u, 0xAA0103E0u,
    };
    uint64_t x = 88172645463325252u;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        words[i] = mix[x % (sizeof mix / sizeof mix[0])];
    }
}

int main(int argc, char** argv)
{
    int samples = 101;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--samples") == 0 && i + 1 < argc) {
            samples = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else {
            fprintf(stderr,
                    "usage: %s [--samples N] [--json]\n"
                    "  Times each kernel's assembly and C twin; prints the median ns per unit.\n",
                    argv[0]);
            return strcmp(argv[i], "--help") == 0 ? 0 : 2;
        }
    }
    if (samples < 1) {
        fprintf(stderr, "coremod-kernel-bench: --samples must be >= 1\n");
        return 2;
    }
    size_t big = (size_t)1 << 22; /* 4 MiB buffers */
    g_in = malloc(big);
    g_out = malloc(big);
    if (g_in == NULL || g_out == NULL) {
        fprintf(stderr, "coremod-kernel-bench: out of memory\n");
        return 2;
    }
    fill_code(g_in, big / 4);
    memset(g_out, 0, big); /* fault the output pages in */

    const bench_case_t cases[] = {
        {"insn_classify", "64 KiB of code", "word", 16384, run_classify},
        {"scale_add_f32", "4096 floats (L1)", "element", 4096, run_scale_add},
        {"scale_add_f32", "1 Mi floats (4 MiB)", "element", 1 << 20, run_scale_add},
        {"secure_zero", "64 bytes", "byte", 64, run_secure_zero},
        {"secure_zero", "4 KiB", "byte", 4096, run_secure_zero},
        {"secure_zero", "1 MiB", "byte", 1 << 20, run_secure_zero},
        {"prefetch_range", "4 MiB, 64-byte stride", "prefetch", 65536, run_prefetch},
        {"tsc_read", "1000 reads", "read", 1000, run_tsc},
        {"capture_processor_state", "one call", "call", 1, run_capture},
    };
    size_t n = sizeof cases / sizeof cases[0];
    bool have_avx2 = coremod_insn_classify_asm_supported();
    if (json)
        printf("{\"schema\": \"coremod-kernel-bench/1\", \"samples\": %d, \"cases\": [\n", samples);
    else
        printf("%-24s %-22s %-9s %12s %12s %8s\n", "kernel", "workload", "unit", "asm ns/unit",
               "C ns/unit", "C/asm");
    for (size_t i = 0; i < n; i++) {
        bool asm_ok = strcmp(cases[i].kernel, "insn_classify") != 0 || have_avx2;
        double asm_ns = asm_ok ? measure(&cases[i], true, samples) : -1;
        double c_ns = measure(&cases[i], false, samples);
        if (json)
            printf(
                "  {\"kernel\": \"%s\", \"workload\": \"%s\", \"unit\": \"%s\", \"asm_ns\": %.4f, "
                "\"c_ns\": %.4f}%s\n",
                cases[i].kernel, cases[i].workload, cases[i].unit, asm_ns, c_ns,
                i + 1 < n ? "," : "");
        else if (asm_ok)
            printf("%-24s %-22s %-9s %12.4f %12.4f %8.2f\n", cases[i].kernel, cases[i].workload,
                   cases[i].unit, asm_ns, c_ns, c_ns / asm_ns);
        else
            printf("%-24s %-22s %-9s %12s %12.4f %8s\n", cases[i].kernel, cases[i].workload,
                   cases[i].unit, "(no AVX2)", c_ns, "-");
    }
    if (json)
        printf("]}\n");
    free(g_in);
    free(g_out);
    return 0;
}
#endif
