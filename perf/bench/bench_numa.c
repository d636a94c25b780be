/*
 * bench_numa.c — numa_place_module (SPEC P.11: < 35 µs), steady state.
 *
 * Each sample times PLACE_BATCH placements on one context (cycling through the module types,
 * the document's example request first), so the context holds up to PLACE_BATCH live placements
 * while it decides; the placements are released after the clock read (release is not part of
 * the operation), newest first.
 */
#include "bench_candidate.h"
#include "bench_context.h"
#include "bench_optimization.h"
#include "bench_reference.h"
#include "bench_sampler.h"

#define PLACE_BATCH 100

module_placement_request_t bench_placement_request(size_t index)
{
    static const module_placement_request_t requests[BENCH_PLACEMENT_SHAPES] = {
        {MODULE_TYPE_COMPUTE_INTENSIVE, 80, 512, 75}, /* the document's example */
        {MODULE_TYPE_MEMORY_INTENSIVE, 60, 65536, 40},
        {MODULE_TYPE_IO_INTENSIVE, 30, 256, 10},
        {MODULE_TYPE_BACKGROUND, 10, 128, 5},
    };
    return requests[index % BENCH_PLACEMENT_SHAPES];
}

typedef struct {
    const candidate_api_t* api;
    numa_optimization_context_t* ctx;
    module_placement_result_t placed[PLACE_BATCH];
    size_t count;
} place_bench_t;

static bool run_places(bench_iteration_t* it)
{
    place_bench_t* bench = it->ctx;
    for (size_t i = 0; i < it->batch; i++) {
        module_placement_request_t request = bench_placement_request(i);
        if (!bench->api->numa_place_module(bench->ctx, &request, &bench->placed[bench->count])) {
            bench_failure_from_candidate(&it->failure, bench->api, "numa_place_module");
            return false;
        }
        bench->count++;
    }
    return true;
}

static bool release_places(bench_iteration_t* it)
{
    place_bench_t* bench = it->ctx;
    bool ok = true;
    while (bench->count > 0) {
        if (!bench->api->numa_release_placement(bench->ctx, &bench->placed[--bench->count]) && ok) {
            bench_failure_from_candidate(&it->failure, bench->api, "numa_release_placement");
            ok = false;
        }
    }
    return ok;
}

void bench_family_numa_place(const bench_context_t* ctx, bench_results_t* results)
{
    static const char* const needed[] = {"numa_optimization_create", "numa_optimization_destroy",
                                         "numa_place_module", "numa_release_placement"};
    static const char name[] = "numa_place_module";
    char why[256];
    if (!bench_candidate_require(ctx->api, needed, 4, why, sizeof(why))) {
        bench_results_add_unavailable(results, name, why);
        return;
    }
    static place_bench_t bench;
    bench = (place_bench_t){.api = ctx->api, .ctx = ctx->api->numa_optimization_create()};
    if (bench.ctx == NULL) {
        bench_failure_t failure;
        bench_failure_from_candidate(&failure, ctx->api, "numa_optimization_create");
        bench_results_add_failed(
            results, &(bench_run_t){.name = name, .unit = "ns", .batch = PLACE_BATCH}, &failure);
        return;
    }
    bench_case_t c = {
        .ctx = &bench, .batch = PLACE_BATCH, .run = run_places, .finish = release_places};
    bench_measure_with_reference(ctx, results, name, &c, BENCH_REFERENCE_ARITHMETIC, NULL, 0);
    ctx->api->numa_optimization_destroy(bench.ctx);
}
