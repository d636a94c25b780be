/*
 * bench_jit.c — jit_optimization_create (SPEC P.7: < 10 µs), jit_get_apple_silicon_info
 * (P.8: < 5 µs) and jit_generate_compilation_hints on 64 KiB of code (P.9: < 0.8 ms), in the
 * steady state: detection has run (the first create of the process is bench_optimization_cold.c's).
 *
 * create: JIT_CREATE_BATCH creates timed together, the contexts destroyed after the clock read
 * (destroy is not part of the operation). info: JIT_INFO_BATCH queries on one context. hints: one
 * call per sample (batch 1: tens of microseconds, far above the clock's resolution). Each beside
 * its same-run reference (bench_reference.h): small allocations, structure copies, a scan of the
 * same 64 KiB.
 */
#include <stdlib.h>
#include <string.h>

#include "bench_candidate.h"
#include "bench_context.h"
#include "bench_optimization.h"
#include "bench_reference.h"
#include "bench_sampler.h"

#define JIT_CREATE_BATCH 8
#define JIT_INFO_BATCH 100

/* One loop body of 64 words (encodings as GNU as emits them for aarch64-linux-gnu). */
static const uint32_t loop_body[64] = {
    0xF9400020u, 0xF9400421u, 0x4E22D420u, 0x4E23D441u, 0x91000400u, 0x8B020020u, 0xF9000020u,
    0xB4000040u, 0x4E22D420u, 0xF9400822u, 0x91000421u, 0xEB02001Fu, 0x54000041u, 0xD503201Fu,
    0x94000001u, 0xA9400440u, 0xA9000440u, 0x1E222820u, 0x4E22D420u, 0xF9400C23u, 0x91000842u,
    0xCB030042u, 0xF9001020u, 0x91000400u, 0x8B020020u, 0xF9400020u, 0xF9400421u, 0x4E23D441u,
    0x91000400u, 0xF9000020u, 0xAA0103E2u, 0x91000400u, 0xF9400020u, 0xF9400421u, 0x4E22D420u,
    0x4E23D441u, 0x91000400u, 0x8B020020u, 0xF9000020u, 0x91000400u, 0x4E22D420u, 0xF9400822u,
    0x91000421u, 0xEB02001Fu, 0x54000041u, 0xD503201Fu, 0xA9400440u, 0xA9000440u, 0x1E222820u,
    0x4E22D420u, 0xF9400C23u, 0x91000842u, 0xCB030042u, 0xF9001020u, 0x91000400u, 0x8B020020u,
    0xF9400020u, 0xF9400421u, 0x4E23D441u, 0x91000400u, 0xF9000020u, 0xF100041Fu, 0xD503201Fu,
    0x54FFF821u, /* B.NE back to the first word (63 words before it) */
};

const uint8_t* bench_jit_code(void)
{
    static uint32_t* code;
    if (code == NULL) {
        code = malloc(BENCH_JIT_CODE_BYTES);
        if (code == NULL) {
            return NULL;
        }
        for (size_t i = 0; i < BENCH_JIT_CODE_BYTES / sizeof(loop_body); i++) {
            memcpy(code + i * 64, loop_body, sizeof(loop_body));
        }
    }
    return (const uint8_t*)code;
}

static const char* const jit_needed[] = {"jit_optimization_create", "jit_optimization_destroy",
                                         "jit_get_apple_silicon_info",
                                         "jit_generate_compilation_hints"};

typedef struct {
    const candidate_api_t* api;
    jit_optimization_context_t* contexts[JIT_CREATE_BATCH];
    size_t created;
    jit_optimization_context_t* ctx; /* info and hints: the context queried */
    const uint8_t* code;
} jit_bench_t;

static bool run_creates(bench_iteration_t* it)
{
    jit_bench_t* bench = it->ctx;
    for (size_t i = 0; i < it->batch; i++) {
        jit_optimization_context_t* ctx = bench->api->jit_optimization_create();
        if (ctx == NULL) {
            bench_failure_from_candidate(&it->failure, bench->api, "jit_optimization_create");
            return false;
        }
        bench->contexts[bench->created++] = ctx;
    }
    return true;
}

static bool destroy_created(bench_iteration_t* it)
{
    jit_bench_t* bench = it->ctx;
    for (size_t i = 0; i < bench->created; i++) {
        bench->api->jit_optimization_destroy(bench->contexts[i]);
    }
    bench->created = 0;
    return true;
}

static bool run_infos(bench_iteration_t* it)
{
    jit_bench_t* bench = it->ctx;
    apple_silicon_info_t info;
    for (size_t i = 0; i < it->batch; i++) {
        if (!bench->api->jit_get_apple_silicon_info(bench->ctx, &info)) {
            bench_failure_from_candidate(&it->failure, bench->api, "jit_get_apple_silicon_info");
            return false;
        }
    }
    return true;
}

static bool run_hints(bench_iteration_t* it)
{
    jit_bench_t* bench = it->ctx;
    jit_compilation_hints_t hints;
    for (size_t i = 0; i < it->batch; i++) {
        if (!bench->api->jit_generate_compilation_hints(bench->ctx, bench->code,
                                                        BENCH_JIT_CODE_BYTES, &hints)) {
            bench_failure_from_candidate(&it->failure, bench->api,
                                         "jit_generate_compilation_hints");
            return false;
        }
    }
    return true;
}

/* Samples `run` with batch `batch`, beside the reference workload `kind`, and adds its result
 * as `name`. */
static void measure(const bench_context_t* ctx, bench_results_t* results, const char* name,
                    jit_bench_t* bench, size_t batch, bool (*run)(bench_iteration_t*),
                    bool (*finish)(bench_iteration_t*), bench_reference_kind_t kind)
{
    bench_case_t c = {.ctx = bench, .batch = batch, .run = run, .finish = finish};
    bench_measure_with_reference(ctx, results, name, &c, kind, bench->code, BENCH_JIT_CODE_BYTES);
}

/* Creates the queried context (untimed); false after adding `name` as unavailable or failed. */
static bool open_context(const bench_context_t* ctx, bench_results_t* results, const char* name,
                         jit_bench_t* bench)
{
    char why[256];
    if (!bench_candidate_require(ctx->api, jit_needed, 4, why, sizeof(why))) {
        bench_results_add_unavailable(results, name, why);
        return false;
    }
    *bench = (jit_bench_t){.api = ctx->api, .code = bench_jit_code()};
    bench->ctx = ctx->api->jit_optimization_create();
    if (bench->ctx == NULL || bench->code == NULL) {
        bench_failure_t failure;
        bench_failure_from_candidate(&failure, ctx->api, "jit_optimization_create");
        bench_results_add_failed(results, &(bench_run_t){.name = name, .unit = "ns", .batch = 1},
                                 &failure);
        return false;
    }
    return true;
}

void bench_family_jit_create(const bench_context_t* ctx, bench_results_t* results)
{
    jit_bench_t bench;
    if (open_context(ctx, results, "jit_optimization_create", &bench)) {
        measure(ctx, results, "jit_optimization_create", &bench, JIT_CREATE_BATCH, run_creates,
                destroy_created, BENCH_REFERENCE_ALLOCATE_SMALL);
        ctx->api->jit_optimization_destroy(bench.ctx);
    }
}

void bench_family_jit_info(const bench_context_t* ctx, bench_results_t* results)
{
    jit_bench_t bench;
    if (open_context(ctx, results, "jit_get_apple_silicon_info", &bench)) {
        measure(ctx, results, "jit_get_apple_silicon_info", &bench, JIT_INFO_BATCH, run_infos, NULL,
                BENCH_REFERENCE_COPY_STRUCT);
        ctx->api->jit_optimization_destroy(bench.ctx);
    }
}

void bench_family_jit_hints(const bench_context_t* ctx, bench_results_t* results)
{
    jit_bench_t bench;
    if (open_context(ctx, results, "jit_generate_compilation_hints", &bench)) {
        measure(ctx, results, "jit_generate_compilation_hints", &bench, 1, run_hints, NULL,
                BENCH_REFERENCE_SCAN_CODE);
        ctx->api->jit_optimization_destroy(bench.ctx);
    }
}
