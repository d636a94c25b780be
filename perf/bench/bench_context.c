/* bench_context.c — see bench_context.h. */
#include "bench_context.h"

#include "bench_candidate.h"

const char* bench_context_copy(const bench_context_t* ctx, bench_side_t side, size_t index)
{
    if (index >= ctx->copies_per_side) {
        return NULL;
    }
    return bench_copies_path(ctx->copies, (size_t)side * ctx->copies_per_side + index);
}

size_t bench_copies_needed(size_t warmup, size_t samples, size_t scale_modules)
{
    /* Timed families use one fresh copy per iteration (warm-up included); the scale families
     * reuse the same scale_modules copies in every run, after the previous run closed them. */
    size_t timed = warmup + samples;
    return timed > scale_modules ? timed : scale_modules;
}

module_system_config_t bench_scale_config(void)
{
    return (module_system_config_t){
        .max_concurrent_modules = 1500,
        .memory_pool_size_mb = 100,
        .enable_jit_optimization = true,
        .enable_cache_optimization = true,
        .enable_numa_placement = true,
        .enable_security_sandboxing = true,
        .module_search_path = NULL,
    };
}

module_system_t* bench_open_system(const bench_context_t* ctx, const module_system_config_t* config,
                                   bench_failure_t* failure)
{
    module_system_t* system = ctx->api->module_system_init(config);
    if (system == NULL) {
        bench_failure_from_candidate(failure, ctx->api, "module_system_init");
    }
    return system;
}
