/*
 * bench_system_init.c — module_system_init (SPEC P.1: < 50 µs).
 *
 * An init takes microseconds, close to what the clock itself can resolve reliably on a noisy VM,
 * so each sample times INIT_BATCH back-to-back inits (default configuration, NULL) into an array
 * and divides by the batch. The systems are destroyed after the second clock read: destroy is not
 * part of the measured operation. Its same-run reference: as many zeroed 4 KiB allocations
 * (bench_reference.h).
 */
#include "bench_candidate.h"
#include "bench_context.h"
#include "bench_reference.h"
#include "bench_sampler.h"

#define INIT_BATCH 8

typedef struct {
    const candidate_api_t* api;
    module_system_t* systems[INIT_BATCH];
    size_t created;
} init_bench_t;

static bool run_inits(bench_iteration_t* it)
{
    init_bench_t* bench = it->ctx;
    for (size_t i = 0; i < it->batch; i++) {
        module_system_t* system = bench->api->module_system_init(NULL);
        if (system == NULL) {
            bench_failure_from_candidate(&it->failure, bench->api, "module_system_init");
            return false;
        }
        bench->systems[bench->created++] = system;
    }
    return true;
}

static bool destroy_systems(bench_iteration_t* it)
{
    init_bench_t* bench = it->ctx;
    for (size_t i = 0; i < bench->created; i++) {
        bench->api->module_system_destroy(bench->systems[i]);
    }
    bench->created = 0;
    return true;
}

void bench_family_system_init(const bench_context_t* ctx, bench_results_t* results)
{
    static const char* const needed[] = {"module_system_init", "module_system_destroy"};
    char why[256];
    if (!bench_candidate_require(ctx->api, needed, 2, why, sizeof(why))) {
        bench_results_add_unavailable(results, "module_system_init", why);
        return;
    }
    init_bench_t bench = {.api = ctx->api, .created = 0};
    bench_case_t init_case = {
        .ctx = &bench, .batch = INIT_BATCH, .run = run_inits, .finish = destroy_systems};
    bench_measure_with_reference(ctx, results, "module_system_init", &init_case,
                                 BENCH_REFERENCE_ALLOCATE_ZEROED, NULL, 0);
}
