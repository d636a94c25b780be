/*
 * bench_concurrent.c — concurrent_modules (SPEC P.6: 1000+ concurrent modules).
 *
 * One run: a fresh system configured as the document advises for 1000+ modules
 * (max_concurrent_modules 1500); `threads` threads, released together, load `scale_modules`
 * distinct copies of the fixture into it (thread t loads copies t, t + threads, ...). After all
 * have finished, the main thread checks every module is live at once: module_get_info succeeds on
 * each handle. The sample is that count of live modules. Then the same threads unload all of them,
 * again at once, and the system is destroyed.
 *
 * A load that fails is recorded in "errors" and simply is not live: the sample is the number that
 * really was live, and the gate (every sample >= 1000) judges it. A run whose system or threads
 * could not be created gives no sample. The detail records, per run, how many loads and unloads
 * failed and how long each phase took (from the release of the threads to the last join).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "bench_candidate.h"
#include "bench_context.h"
#include "bench_sampler.h"
#include "bench_timer.h"

#define MAX_THREADS 16

typedef struct {
    bool ran;      /* the iteration started */
    bool measured; /* ... and produced a sample */
    bool kept;     /* ... after warm-up */
    size_t loaded;
    size_t load_failed;
    size_t live;
    size_t unload_failed;
    uint64_t load_elapsed_ns;
    uint64_t unload_elapsed_ns;
} concurrent_run_t;

typedef struct concurrent_bench concurrent_bench_t;

typedef struct {
    concurrent_bench_t* bench;
    size_t index;
    bool unloading; /* phase: false = load, true = unload */
    size_t failed;
    bench_failures_t failures;
} worker_t;

struct concurrent_bench {
    const bench_context_t* ctx;
    module_system_t* system;
    module_handle_t* handles;  /* scale_modules entries; each written by one thread only */
    concurrent_run_t* runs;    /* one per iteration, warm-up included */
    bench_failures_t failures; /* of every load/unload in kept runs, merged from the workers */
    worker_t workers[MAX_THREADS];
    /* Start gate: the workers wait until the main thread has created all of them. */
    pthread_mutex_t gate_lock;
    pthread_cond_t gate_opened;
    bool gate_open;
    bool cancelled; /* not every worker could be created: do nothing */
};

static bool wait_for_gate(concurrent_bench_t* bench)
{
    pthread_mutex_lock(&bench->gate_lock);
    while (!bench->gate_open) {
        pthread_cond_wait(&bench->gate_opened, &bench->gate_lock);
    }
    bool go = !bench->cancelled;
    pthread_mutex_unlock(&bench->gate_lock);
    return go;
}

static void open_gate(concurrent_bench_t* bench, bool cancelled)
{
    pthread_mutex_lock(&bench->gate_lock);
    bench->gate_open = true;
    bench->cancelled = cancelled;
    pthread_cond_broadcast(&bench->gate_opened);
    pthread_mutex_unlock(&bench->gate_lock);
}

static void* work(void* opaque)
{
    worker_t* worker = opaque;
    concurrent_bench_t* bench = worker->bench;
    const candidate_api_t* api = bench->ctx->api;
    if (!wait_for_gate(bench)) {
        return NULL;
    }
    bench_failure_t failure;
    for (size_t i = worker->index; i < bench->ctx->scale_modules; i += bench->ctx->threads) {
        if (worker->unloading) {
            if (bench->handles[i] != NULL && !api->module_unload(bench->handles[i])) {
                bench_failure_from_candidate(&failure, api, "module_unload");
                bench_failures_add(&worker->failures, &failure);
                worker->failed++;
            }
            continue;
        }
        const char* path = bench_context_copy(bench->ctx, BENCH_SIDE_CANDIDATE, i);
        bench->handles[i] = path ? api->module_load(bench->system, path) : NULL;
        if (bench->handles[i] == NULL) {
            if (path == NULL) {
                bench_failure_set_message(&failure, "runner",
                                          "the pool of module copies is too small");
            } else {
                bench_failure_from_candidate(&failure, api, "module_load");
            }
            bench_failures_add(&worker->failures, &failure);
            worker->failed++;
        }
    }
    return NULL;
}

/* Runs one phase on all threads. Returns false (with `failure` set) if the threads could not be
 * created; otherwise the phase's duration and failure count. */
static bool run_phase(concurrent_bench_t* bench, bool unloading, uint64_t* elapsed_ns,
                      size_t* failed, bench_failures_t* failures, bench_failure_t* failure)
{
    pthread_t threads[MAX_THREADS];
    size_t created = 0;
    bench->gate_open = false;
    bench->cancelled = false;
    for (; created < bench->ctx->threads; created++) {
        worker_t* worker = &bench->workers[created];
        *worker = (worker_t){.bench = bench, .index = created, .unloading = unloading};
        if (pthread_create(&threads[created], NULL, work, worker) != 0) {
            break;
        }
    }
    bool all = created == bench->ctx->threads;
    uint64_t start = bench_timer_now_ns();
    open_gate(bench, !all);
    *failed = 0;
    for (size_t t = 0; t < created; t++) {
        pthread_join(threads[t], NULL);
        *failed += bench->workers[t].failed;
        bench_failures_merge(failures, &bench->workers[t].failures);
    }
    *elapsed_ns = bench_timer_now_ns() - start;
    if (!all) {
        bench_failure_set_message(failure, "runner", "pthread_create failed");
    }
    return all;
}

static bool measure_live(bench_iteration_t* it)
{
    concurrent_bench_t* bench = it->ctx;
    const bench_context_t* ctx = bench->ctx;
    bench_failure_t* failure = &it->failure;
    concurrent_run_t* run = &bench->runs[it->index];
    *run = (concurrent_run_t){.ran = true, .kept = it->index >= ctx->scale_warmup};
    /* Failures of warm-up runs are failures too; they are kept with the others. */
    bench_failures_t* failures = &bench->failures;

    module_system_config_t config = bench_scale_config();
    bench->system = bench_open_system(ctx, &config, failure);
    if (bench->system == NULL) {
        return false;
    }
    for (size_t i = 0; i < ctx->scale_modules; i++) {
        bench->handles[i] = NULL;
    }
    if (!run_phase(bench, false, &run->load_elapsed_ns, &run->load_failed, failures, failure)) {
        return false;
    }
    run->loaded = ctx->scale_modules - run->load_failed;
    bench_failure_t info_failure;
    for (size_t i = 0; i < ctx->scale_modules; i++) {
        module_info_t info;
        if (bench->handles[i] == NULL) {
            continue;
        }
        if (ctx->api->module_get_info(bench->handles[i], &info)) {
            run->live++;
        } else {
            bench_failure_from_candidate(&info_failure, ctx->api, "module_get_info");
            bench_failures_add(failures, &info_failure);
        }
    }
    it->value = (double)run->live;
    run->measured = true;
    return true;
}

static bool unload_all(bench_iteration_t* it)
{
    concurrent_bench_t* bench = it->ctx;
    concurrent_run_t* run = &bench->runs[it->index];
    bool ok = true;
    if (bench->system == NULL) {
        return true;
    }
    ok = run_phase(bench, true, &run->unload_elapsed_ns, &run->unload_failed, &bench->failures,
                   &it->failure);
    bench->ctx->api->module_system_destroy(bench->system);
    bench->system = NULL;
    return ok;
}

/* The detail: the configuration, a summary of the kept runs, then every run that started. False
 * when out of memory. */
static bool fill_detail(bench_detail_t* detail, const concurrent_bench_t* bench)
{
    const bench_context_t* ctx = bench->ctx;
    size_t iterations = ctx->scale_warmup + ctx->scale_samples;
    if (!bench_detail_init(detail, iterations)) {
        return false;
    }
    size_t loaded_min = SIZE_MAX;
    size_t failed = 0;
    uint64_t elapsed_max = 0;
    for (size_t i = ctx->scale_warmup; i < iterations; i++) {
        const concurrent_run_t* run = &bench->runs[i];
        if (!run->measured) {
            continue;
        }
        loaded_min = run->loaded < loaded_min ? run->loaded : loaded_min;
        failed += run->load_failed;
        elapsed_max = run->load_elapsed_ns > elapsed_max ? run->load_elapsed_ns : elapsed_max;
    }
    bench_record_t* summary = &detail->summary;
    bench_record_add(summary, bench_field_uint("threads", ctx->threads));
    bench_record_add(summary, bench_field_uint("modules", ctx->scale_modules));
    bench_record_add(summary, bench_field_uint("max_concurrent_modules",
                                               bench_scale_config().max_concurrent_modules));
    /* fewest loaded in one kept run; null when no kept run was measured */
    bench_record_add(summary, loaded_min == SIZE_MAX ? bench_field_null("loaded")
                                                     : bench_field_uint("loaded", loaded_min));
    bench_record_add(summary, bench_field_uint("failed", failed));          /* over all kept runs */
    bench_record_add(summary, bench_field_uint("elapsed_ns", elapsed_max)); /* slowest kept */
    for (size_t i = 0; i < iterations; i++) {
        const concurrent_run_t* run = &bench->runs[i];
        if (!run->ran) {
            continue;
        }
        bench_record_t record = {0};
        bench_record_add(&record, bench_field_bool("measured", run->measured));
        bench_record_add(&record, bench_field_bool("warmup", !run->kept));
        bench_record_add(&record, bench_field_uint("loaded", run->loaded));
        bench_record_add(&record, bench_field_uint("load_failed", run->load_failed));
        bench_record_add(&record, bench_field_uint("live", run->live));
        bench_record_add(&record, bench_field_uint("unload_failed", run->unload_failed));
        bench_record_add(&record, bench_field_uint("load_elapsed_ns", run->load_elapsed_ns));
        bench_record_add(&record, bench_field_uint("unload_elapsed_ns", run->unload_elapsed_ns));
        bench_detail_add_run(detail, &record);
    }
    return true;
}

void bench_family_concurrent(const bench_context_t* ctx, bench_results_t* results)
{
    static const char* const needed[] = {"module_system_init", "module_system_destroy",
                                         "module_load", "module_unload", "module_get_info"};
    char why[256];
    if (!bench_candidate_require(ctx->api, needed, 5, why, sizeof(why))) {
        bench_results_add_unavailable(results, "concurrent_modules", why);
        return;
    }
    if (ctx->threads == 0 || ctx->threads > MAX_THREADS) {
        bench_results_add_unavailable(results, "concurrent_modules", "runner: bad thread count");
        return;
    }
    concurrent_bench_t* bench = calloc(1, sizeof(*bench));
    bench_run_t run = {
        .name = "concurrent_modules", .unit = "count", .batch = 1, .warmup = ctx->scale_warmup};
    size_t iterations = ctx->scale_warmup + ctx->scale_samples;
    bool ready = bench != NULL && bench_series_init(&run.series, ctx->scale_samples);
    if (ready) {
        bench->ctx = ctx;
        bench->handles = calloc(ctx->scale_modules, sizeof(module_handle_t));
        bench->runs = calloc(iterations > 0 ? iterations : 1, sizeof(concurrent_run_t));
        ready = bench->handles != NULL && bench->runs != NULL;
    }
    if (ready) {
        pthread_mutex_init(&bench->gate_lock, NULL);
        pthread_cond_init(&bench->gate_opened, NULL);
        bench_case_t live_case = {.ctx = bench,
                                  .batch = 1,
                                  .self_measured = true,
                                  .run = measure_live,
                                  .finish = unload_all};
        bench_sample(&live_case, NULL, ctx->scale_warmup, ctx->scale_samples, &run.series, NULL);
        bench_failures_merge(&run.series.failures, &bench->failures);
        pthread_cond_destroy(&bench->gate_opened);
        pthread_mutex_destroy(&bench->gate_lock);
        ready = fill_detail(&run.detail, bench);
    }
    if (ready) {
        bench_results_add(results, &run);
    } else {
        bench_run_free(&run);
        bench_results_add_unavailable(results, "concurrent_modules", "runner out of memory");
    }
    if (bench != NULL) {
        free(bench->handles);
        free(bench->runs);
    }
    free(bench);
}
