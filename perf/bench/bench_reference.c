/* bench_reference.c — see bench_reference.h. */
#include "bench_reference.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ZEROED_BYTES 4096
#define SMALL_BYTES 256
#define PAGE_STRIDE 64     /* one write per cache line: the block is really touched */
#define ARITHMETIC_STEPS 6 /* per unit: about as long as one placement or pattern */

typedef struct {
    uint64_t words[16];
} reference_struct_t;

/* Where every workload leaves its result, so that no compiler removes the work.
 */
static volatile uint64_t reference_sink;
static volatile reference_struct_t reference_source = {
    {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}};

static const char* const reference_names[BENCH_REFERENCE_KINDS] = {
    [BENCH_REFERENCE_ALLOCATE_ZEROED] = "reference:allocate_zeroed_4k",
    [BENCH_REFERENCE_ALLOCATE_SMALL] = "reference:allocate_256",
    [BENCH_REFERENCE_COPY_STRUCT] = "reference:copy_struct_128",
    [BENCH_REFERENCE_SCAN_CODE] = "reference:scan_code_64k",
    [BENCH_REFERENCE_ARITHMETIC] = "reference:integer_arithmetic",
};

const char* bench_reference_name(bench_reference_kind_t kind)
{
    return kind < BENCH_REFERENCE_KINDS ? reference_names[kind] : "reference:unknown";
}

static bool allocate(bench_reference_t* ref, size_t bytes, bool zeroed, bench_failure_t* failure)
{
    unsigned char* block = zeroed ? calloc(1, bytes) : malloc(bytes);
    if (block == NULL) {
        bench_failure_set_message(failure, "runner", "reference workload: out of memory");
        return false;
    }
    if (zeroed) {
        for (size_t i = 0; i < bytes; i += PAGE_STRIDE) {
            block[i] = (unsigned char)i;
        }
    } else {
        memset(block, 0xA5, bytes);
    }
    ref->blocks[ref->allocated++] = block;
    return true;
}

static void copy_struct(void)
{
    reference_struct_t copy;
    memcpy(&copy, (const void*)&reference_source, sizeof(copy));
    reference_sink = copy.words[(reference_sink + 7) % 16];
}

static void scan_code(const bench_reference_t* ref)
{
    /* The classes a hint generator looks for in AArch64 code: branches,
     * loads/stores, SIMD. */
    uint64_t branches = 0, memory = 0, vector = 0, other = 0;
    const unsigned char* end = ref->code + ref->code_bytes;
    for (const unsigned char* p = ref->code; p + 4 <= end; p += 4) {
        uint32_t word;
        memcpy(&word, p, sizeof(word));
        if ((word & 0x7C000000u) == 0x14000000u || (word & 0xFF000010u) == 0x54000000u) {
            branches++;
        } else if ((word & 0x0A000000u) == 0x08000000u) {
            memory++;
        } else if ((word & 0x9F000000u) == 0x0E000000u || (word & 0xFF000000u) == 0x4E000000u) {
            vector++;
        } else {
            other++;
        }
    }
    reference_sink = branches * 3 + memory * 5 + vector * 7 + other;
}

static void arithmetic(size_t unit)
{
    uint64_t x = reference_sink + unit + 1;
    for (uint64_t step = 0; step < ARITHMETIC_STEPS; step++) {
        x = x * UINT64_C(6364136223846793005) + step;
        uint64_t divided = (x >> 7) / (step + 3);
        x ^= divided + (uint64_t)(63 - __builtin_clzll(divided | 1));
    }
    reference_sink = x;
}

static bool run_reference(bench_iteration_t* it)
{
    bench_reference_t* ref = it->ctx;
    bench_failure_t* failure = &it->failure;
    for (size_t unit = 0; unit < it->batch; unit++) {
        switch (ref->kind) {
        case BENCH_REFERENCE_ALLOCATE_ZEROED:
            if (!allocate(ref, ZEROED_BYTES, true, failure)) {
                return false;
            }
            break;
        case BENCH_REFERENCE_ALLOCATE_SMALL:
            if (!allocate(ref, SMALL_BYTES, false, failure)) {
                return false;
            }
            break;
        case BENCH_REFERENCE_COPY_STRUCT: copy_struct(); break;
        case BENCH_REFERENCE_SCAN_CODE: scan_code(ref); break;
        case BENCH_REFERENCE_ARITHMETIC:
        default: arithmetic(unit); break;
        }
    }
    return true;
}

static bool release_blocks(bench_iteration_t* it)
{
    bench_reference_t* ref = it->ctx;
    for (size_t i = 0; i < ref->allocated; i++) {
        free(ref->blocks[i]);
    }
    ref->allocated = 0;
    return true;
}

bench_case_t bench_reference_case(bench_reference_t* state, size_t batch)
{
    size_t capacity = sizeof(state->blocks) / sizeof(state->blocks[0]);
    state->allocated = 0;
    return (bench_case_t){.ctx = state,
                          .batch = batch < capacity ? batch : capacity,
                          .run = run_reference,
                          .finish = release_blocks};
}

void bench_measure_with_reference(const bench_context_t* ctx, bench_results_t* results,
                                  const char* name, const bench_case_t* subject,
                                  bench_reference_kind_t kind, const unsigned char* code,
                                  size_t code_bytes)
{
    bench_run_t run = {.name = name,
                       .unit = "ns",
                       .batch = subject->batch,
                       .warmup = ctx->warmup,
                       .baseline_name = bench_reference_name(kind),
                       .baseline_is_reference = true};
    if (!bench_series_init(&run.series, ctx->samples) ||
        !bench_series_init(&run.baseline, ctx->samples)) {
        bench_run_free(&run);
        bench_results_add_unavailable(results, name, "runner out of memory");
        return;
    }
    static bench_reference_t reference; /* 1 KiB of block pointers: not on the stack */
    reference = (bench_reference_t){.kind = kind, .code = code, .code_bytes = code_bytes};
    bench_case_t reference_case = bench_reference_case(&reference, subject->batch);
    bench_sample(subject, &reference_case, ctx->warmup, ctx->samples, &run.series, &run.baseline);
    bench_results_add(results, &run);
}
