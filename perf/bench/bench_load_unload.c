/*
 * bench_load_unload.c — module_load (SPEC P.2: < 1.5 ms) and module_unload (P.3: < 100 µs), each
 * against the raw platform loader on the same kind of file: dlopen(RTLD_NOW | RTLD_LOCAL) and
 * dlclose.
 *
 * Every iteration opens a copy of the fixture that nothing in the process has open (the target is
 * "a file not yet loaded": a second load of an open file is only a reference count). The candidate
 * and the raw loader get distinct copies from the two halves of the pool, so neither finds the
 * other's mapping already in place; all copies were written at start-up in the same way, so both
 * sides find their file equally in the page cache. The sampler interleaves the two and alternates
 * which goes first.
 *
 * Loads and unloads go into one system created (untimed) with the default configuration, holding
 * no other module. module_load: the load is timed, the unload that follows is not. module_unload:
 * the load before it is not timed, the unload is. One operation per sample (batch 1): each is
 * tens of microseconds or more, far above the clock's overhead.
 */
#include <dlfcn.h>

#include "bench_candidate.h"
#include "bench_context.h"
#include "bench_sampler.h"

typedef struct {
    const bench_context_t* ctx;
    bench_side_t side;
    module_system_t* system; /* candidate side */
    const char* path;
    module_handle_t handle; /* candidate side: the module of this iteration */
    void* library;          /* raw side: the dlopen handle of this iteration */
} loading_bench_t;

static bool pick_copy(loading_bench_t* bench, size_t iteration, bench_failure_t* failure)
{
    bench->path = bench_context_copy(bench->ctx, bench->side, iteration);
    if (bench->path == NULL) {
        bench_failure_set_message(failure, "runner", "the pool of module copies is too small");
        return false;
    }
    return true;
}

/* ---- candidate ---------------------------------------------------------------------------- */

static bool candidate_load(loading_bench_t* bench, bench_failure_t* failure)
{
    bench->handle = bench->ctx->api->module_load(bench->system, bench->path);
    if (bench->handle == NULL) {
        bench_failure_from_candidate(failure, bench->ctx->api, "module_load");
        return false;
    }
    return true;
}

static bool candidate_unload(loading_bench_t* bench, bench_failure_t* failure)
{
    module_handle_t handle = bench->handle;
    bench->handle = NULL;
    if (!bench->ctx->api->module_unload(handle)) {
        bench_failure_from_candidate(failure, bench->ctx->api, "module_unload");
        return false;
    }
    return true;
}

/* The sampler's callbacks: each picks what it needs from the iteration. */

static bool prepare_path(bench_iteration_t* it)
{
    return pick_copy(it->ctx, it->index, &it->failure);
}

static bool timed_candidate_load(bench_iteration_t* it)
{
    return candidate_load(it->ctx, &it->failure);
}

static bool untimed_candidate_unload(bench_iteration_t* it)
{
    loading_bench_t* bench = it->ctx;
    return bench->handle == NULL || candidate_unload(bench, &it->failure);
}

static bool untimed_candidate_load(bench_iteration_t* it)
{
    return pick_copy(it->ctx, it->index, &it->failure) && candidate_load(it->ctx, &it->failure);
}

static bool timed_candidate_unload(bench_iteration_t* it)
{
    return candidate_unload(it->ctx, &it->failure);
}

/* ---- raw loader ----------------------------------------------------------------------------- */

static bool raw_open(loading_bench_t* bench, bench_failure_t* failure)
{
    bench->library = dlopen(bench->path, RTLD_NOW | RTLD_LOCAL);
    if (bench->library == NULL) {
        bench_failure_from_dlerror(failure, "dlopen");
        return false;
    }
    return true;
}

static bool raw_close(loading_bench_t* bench, bench_failure_t* failure)
{
    void* library = bench->library;
    bench->library = NULL;
    if (dlclose(library) != 0) {
        bench_failure_from_dlerror(failure, "dlclose");
        return false;
    }
    return true;
}

static bool timed_raw_open(bench_iteration_t* it)
{
    return raw_open(it->ctx, &it->failure);
}

static bool untimed_raw_close(bench_iteration_t* it)
{
    loading_bench_t* bench = it->ctx;
    return bench->library == NULL || raw_close(bench, &it->failure);
}

static bool untimed_raw_open(bench_iteration_t* it)
{
    return pick_copy(it->ctx, it->index, &it->failure) && raw_open(it->ctx, &it->failure);
}

static bool timed_raw_close(bench_iteration_t* it)
{
    return raw_close(it->ctx, &it->failure);
}

/* ---- families ------------------------------------------------------------------------------ */

/* Measures `name` with the given candidate and raw cases (whose ctx the caller leaves NULL). */
static void measure(const bench_context_t* ctx, bench_results_t* results, const char* name,
                    const char* raw_name, bench_case_t candidate_case, bench_case_t raw_case)
{
    static const char* const needed[] = {"module_system_init", "module_system_destroy",
                                         "module_load", "module_unload"};
    char why[256];
    if (!bench_candidate_require(ctx->api, needed, 4, why, sizeof(why))) {
        bench_results_add_unavailable(results, name, why);
        return;
    }
    bench_run_t run = {
        .name = name, .unit = "ns", .batch = 1, .warmup = ctx->warmup, .baseline_name = raw_name};
    loading_bench_t candidate = {.ctx = ctx, .side = BENCH_SIDE_CANDIDATE};
    loading_bench_t raw = {.ctx = ctx, .side = BENCH_SIDE_RAW};
    bench_failure_t failure;
    candidate.system = bench_open_system(ctx, NULL, &failure);
    if (candidate.system == NULL) {
        bench_results_add_failed(results, &run, &failure);
        return;
    }
    if (!bench_series_init(&run.series, ctx->samples) ||
        !bench_series_init(&run.baseline, ctx->samples)) {
        bench_run_free(&run);
        ctx->api->module_system_destroy(candidate.system);
        bench_results_add_unavailable(results, name, "runner out of memory");
        return;
    }
    candidate_case.ctx = &candidate;
    raw_case.ctx = &raw;
    bench_sample(&candidate_case, &raw_case, ctx->warmup, ctx->samples, &run.series, &run.baseline);
    ctx->api->module_system_destroy(candidate.system);
    bench_results_add(results, &run);
}

void bench_family_load(const bench_context_t* ctx, bench_results_t* results)
{
    measure(ctx, results, "module_load", "dlopen",
            (bench_case_t){.batch = 1,
                           .prepare = prepare_path,
                           .run = timed_candidate_load,
                           .finish = untimed_candidate_unload},
            (bench_case_t){.batch = 1,
                           .prepare = prepare_path,
                           .run = timed_raw_open,
                           .finish = untimed_raw_close});
}

void bench_family_unload(const bench_context_t* ctx, bench_results_t* results)
{
    measure(ctx, results, "module_unload", "dlclose",
            (bench_case_t){
                .batch = 1, .prepare = untimed_candidate_load, .run = timed_candidate_unload},
            (bench_case_t){.batch = 1, .prepare = untimed_raw_open, .run = timed_raw_close});
}
