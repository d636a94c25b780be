/*
 * bench_cache.c — cache_generate_prefetch_pattern (SPEC P.10: < 75 µs), steady state.
 *
 * Each sample times PATTERN_BATCH generations on one context, cycling through the shapes of
 * bench_pattern_shape (the document's 4 MiB sequential example first), and divides by the batch.
 * Generation never reads the data (SPEC 11.3), so one small buffer stands for every size.
 */
#include "bench_candidate.h"
#include "bench_context.h"
#include "bench_optimization.h"
#include "bench_reference.h"
#include "bench_sampler.h"

#define PATTERN_BATCH 100

void bench_pattern_shape(size_t index, size_t* size, cache_access_pattern_t* pattern)
{
    /* The document's example: 1 Mi floats (4 MiB), sequential; then smaller and larger data in
     * every pattern, one per region of SPEC 11.4 on common machines. */
    static const struct {
        size_t size;
        cache_access_pattern_t pattern;
    } shapes[BENCH_PATTERN_SHAPES] = {
        {(size_t)4 << 20, CACHE_ACCESS_SEQUENTIAL},
        {16384, CACHE_ACCESS_SEQUENTIAL},
        {(size_t)64 << 20, CACHE_ACCESS_STRIDED},
        {262144, CACHE_ACCESS_STRIDED},
        {131072, CACHE_ACCESS_RANDOM},
        {(size_t)256 << 20, CACHE_ACCESS_RANDOM},
        {65536, CACHE_ACCESS_TEMPORAL},
        {(size_t)8 << 20, CACHE_ACCESS_TEMPORAL},
    };
    *size = shapes[index % BENCH_PATTERN_SHAPES].size;
    *pattern = shapes[index % BENCH_PATTERN_SHAPES].pattern;
}

typedef struct {
    const candidate_api_t* api;
    cache_optimization_context_t* ctx;
} pattern_bench_t;

static unsigned char pattern_data[64];

static bool run_patterns(bench_iteration_t* it)
{
    pattern_bench_t* bench = it->ctx;
    cache_prefetch_pattern_t out;
    for (size_t i = 0; i < it->batch; i++) {
        size_t size;
        cache_access_pattern_t pattern;
        bench_pattern_shape(i, &size, &pattern);
        if (!bench->api->cache_generate_prefetch_pattern(bench->ctx, pattern_data, size, pattern,
                                                         &out)) {
            bench_failure_from_candidate(&it->failure, bench->api,
                                         "cache_generate_prefetch_pattern");
            return false;
        }
    }
    return true;
}

void bench_family_cache_pattern(const bench_context_t* ctx, bench_results_t* results)
{
    static const char* const needed[] = {"cache_optimization_create", "cache_optimization_destroy",
                                         "cache_generate_prefetch_pattern"};
    static const char name[] = "cache_generate_prefetch_pattern";
    char why[256];
    if (!bench_candidate_require(ctx->api, needed, 3, why, sizeof(why))) {
        bench_results_add_unavailable(results, name, why);
        return;
    }
    pattern_bench_t bench = {.api = ctx->api, .ctx = ctx->api->cache_optimization_create()};
    if (bench.ctx == NULL) {
        bench_failure_t failure;
        bench_failure_from_candidate(&failure, ctx->api, "cache_optimization_create");
        bench_results_add_failed(
            results, &(bench_run_t){.name = name, .unit = "ns", .batch = PATTERN_BATCH}, &failure);
        return;
    }
    bench_case_t c = {.ctx = &bench, .batch = PATTERN_BATCH, .run = run_patterns};
    bench_measure_with_reference(ctx, results, name, &c, BENCH_REFERENCE_ARITHMETIC, NULL, 0);
    ctx->api->cache_optimization_destroy(bench.ctx);
}
