/*
 * bench_symbol.c — module_get_symbol (SPEC P.4: < 10 µs) against dlsym.
 *
 * module_get_symbol: the steady state the target is about — one module (the fixture itself),
 * loaded untimed, the same name looked up over and over, so the candidate serves it from its
 * per-module cache (SPEC 5.3). One lookup takes nanoseconds, so each sample times SYMBOL_BATCH
 * lookups and divides. Raw baseline: dlsym on a dlopen handle of the same file (the same module
 * the candidate holds: dlopen of an open file only raises glibc's reference count).
 *
 * module_get_symbol_cold: the first lookup of the name in a freshly loaded module (nothing cached
 * yet), one per sample on a fresh copy, load and unload untimed. Raw baseline: the first dlsym on
 * a freshly dlopen'd copy from the raw half of the pool. It is reported for information: the
 * document's target is the steady state, and there is no gate on it.
 */
#include <dlfcn.h>

#include "bench_candidate.h"
#include "bench_context.h"
#include "bench_sampler.h"

#define SYMBOL_BATCH 100

/* Every looked-up address is stored here, so the compiler cannot drop the lookups. */
static void* volatile symbol_sink;

typedef struct {
    const bench_context_t* ctx;
    bench_side_t side;
    module_system_t* system;
    module_handle_t handle; /* candidate: the module looked up in */
    void* library;          /* raw: the dlopen handle looked up in */
} symbol_bench_t;

static bool lookup_failed(symbol_bench_t* bench, bench_failure_t* failure)
{
    if (bench->side == BENCH_SIDE_CANDIDATE) {
        bench_failure_from_candidate(failure, bench->ctx->api, "module_get_symbol");
    } else {
        bench_failure_from_dlerror(failure, "dlsym");
    }
    return false;
}

static bool candidate_lookups(bench_iteration_t* it)
{
    symbol_bench_t* bench = it->ctx;
    for (size_t i = 0; i < it->batch; i++) {
        void* address = bench->ctx->api->module_get_symbol(bench->handle, bench->ctx->symbol_name);
        if (address == NULL) {
            return lookup_failed(bench, &it->failure);
        }
        symbol_sink = address;
    }
    return true;
}

static bool raw_lookups(bench_iteration_t* it)
{
    symbol_bench_t* bench = it->ctx;
    for (size_t i = 0; i < it->batch; i++) {
        void* address = dlsym(bench->library, bench->ctx->symbol_name);
        if (address == NULL) {
            return lookup_failed(bench, &it->failure);
        }
        symbol_sink = address;
    }
    return true;
}

/* Cold lookups: a fresh module per iteration. */

static bool open_fresh(bench_iteration_t* it)
{
    symbol_bench_t* bench = it->ctx;
    bench_failure_t* failure = &it->failure;
    const char* path = bench_context_copy(bench->ctx, bench->side, it->index);
    if (path == NULL) {
        bench_failure_set_message(failure, "runner", "the pool of module copies is too small");
        return false;
    }
    if (bench->side == BENCH_SIDE_CANDIDATE) {
        bench->handle = bench->ctx->api->module_load(bench->system, path);
        if (bench->handle == NULL) {
            bench_failure_from_candidate(failure, bench->ctx->api, "module_load");
            return false;
        }
    } else {
        bench->library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        if (bench->library == NULL) {
            bench_failure_from_dlerror(failure, "dlopen");
            return false;
        }
    }
    return true;
}

static bool close_fresh(bench_iteration_t* it)
{
    symbol_bench_t* bench = it->ctx;
    bench_failure_t* failure = &it->failure;
    if (bench->side == BENCH_SIDE_CANDIDATE) {
        module_handle_t handle = bench->handle;
        bench->handle = NULL;
        if (!bench->ctx->api->module_unload(handle)) {
            bench_failure_from_candidate(failure, bench->ctx->api, "module_unload");
            return false;
        }
    } else {
        void* library = bench->library;
        bench->library = NULL;
        if (dlclose(library) != 0) {
            bench_failure_from_dlerror(failure, "dlclose");
            return false;
        }
    }
    return true;
}

/* Runs one operation (steady or cold) and adds its result. */
static void measure(const bench_context_t* ctx, bench_results_t* results, const char* name,
                    size_t batch, bench_case_t candidate_case, bench_case_t raw_case)
{
    bench_run_t run = {.name = name,
                       .unit = "ns",
                       .batch = batch,
                       .warmup = ctx->warmup,
                       .baseline_name = "dlsym"};
    if (!bench_series_init(&run.series, ctx->samples) ||
        !bench_series_init(&run.baseline, ctx->samples)) {
        bench_run_free(&run);
        bench_results_add_unavailable(results, name, "runner out of memory");
        return;
    }
    bench_sample(&candidate_case, &raw_case, ctx->warmup, ctx->samples, &run.series, &run.baseline);
    bench_results_add(results, &run);
}

/* The shape of a result whose set-up failed. */
static bench_run_t failed_shape(const bench_context_t* ctx, const char* name, size_t batch)
{
    return (bench_run_t){.name = name, .unit = "ns", .batch = batch, .warmup = ctx->warmup};
}

/* Steady state: the fixture loaded once on each side, untimed. */
static void measure_steady(const bench_context_t* ctx, bench_results_t* results,
                           symbol_bench_t* candidate, symbol_bench_t* raw)
{
    bench_failure_t failure;
    candidate->handle = ctx->api->module_load(candidate->system, ctx->module_path);
    if (candidate->handle == NULL) {
        bench_failure_from_candidate(&failure, ctx->api, "module_load");
    } else {
        raw->library = dlopen(ctx->module_path, RTLD_NOW | RTLD_LOCAL);
        if (raw->library == NULL) {
            bench_failure_from_dlerror(&failure, "dlopen");
        }
    }
    if (candidate->handle != NULL && raw->library != NULL) {
        measure(ctx, results, "module_get_symbol", SYMBOL_BATCH,
                (bench_case_t){.ctx = candidate, .batch = SYMBOL_BATCH, .run = candidate_lookups},
                (bench_case_t){.ctx = raw, .batch = SYMBOL_BATCH, .run = raw_lookups});
    } else {
        bench_run_t shape = failed_shape(ctx, "module_get_symbol", SYMBOL_BATCH);
        bench_results_add_failed(results, &shape, &failure);
    }
    if (raw->library != NULL) {
        dlclose(raw->library);
        raw->library = NULL;
    }
    if (candidate->handle != NULL) {
        ctx->api->module_unload(candidate->handle);
        candidate->handle = NULL;
    }
}

void bench_family_symbol(const bench_context_t* ctx, bench_results_t* results)
{
    static const char* const needed[] = {"module_system_init", "module_system_destroy",
                                         "module_load", "module_unload", "module_get_symbol"};
    char why[256];
    if (!bench_candidate_require(ctx->api, needed, 5, why, sizeof(why))) {
        bench_results_add_unavailable(results, "module_get_symbol", why);
        bench_results_add_unavailable(results, "module_get_symbol_cold", why);
        return;
    }
    symbol_bench_t candidate = {.ctx = ctx, .side = BENCH_SIDE_CANDIDATE};
    symbol_bench_t raw = {.ctx = ctx, .side = BENCH_SIDE_RAW};
    bench_failure_t failure;
    candidate.system = bench_open_system(ctx, NULL, &failure);
    if (candidate.system == NULL) {
        bench_run_t steady = failed_shape(ctx, "module_get_symbol", SYMBOL_BATCH);
        bench_run_t cold = failed_shape(ctx, "module_get_symbol_cold", 1);
        bench_results_add_failed(results, &steady, &failure);
        bench_results_add_failed(results, &cold, &failure);
        return;
    }
    measure_steady(ctx, results, &candidate, &raw);
    measure(ctx, results, "module_get_symbol_cold", 1,
            (bench_case_t){.ctx = &candidate,
                           .batch = 1,
                           .prepare = open_fresh,
                           .run = candidate_lookups,
                           .finish = close_fresh},
            (bench_case_t){.ctx = &raw,
                           .batch = 1,
                           .prepare = open_fresh,
                           .run = raw_lookups,
                           .finish = close_fresh});
    ctx->api->module_system_destroy(candidate.system);
}
