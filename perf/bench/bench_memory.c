/*
 * bench_memory.c — memory_per_module (SPEC P.5: < 150 KB per module).
 *
 * One sample: the growth of the process's resident set (RSS) while a fresh system is created and
 * `scale_modules` (1000) distinct copies of the fixture are loaded into it, divided by the number
 * of modules, in bytes. RSS is read from /proc/self/statm (resident pages × page size) with
 * open/read, so the reading itself allocates nothing. The system's creation is inside the measured
 * span on purpose: memory an implementation sets aside at init for its modules is part of what
 * those modules cost (this makes the figure conservative).
 *
 * malloc_trim(0) runs just before each reading, so that heap pages freed by earlier runs (which
 * glibc keeps resident) neither hide new growth nor count as growth: both readings see only what
 * is live. Modules are unloaded and the system destroyed after the second reading.
 *
 * Raw baseline: the same number of dlopen(RTLD_NOW | RTLD_LOCAL) calls on copies from the raw half
 * of the pool, measured the same way; the sampler alternates which side goes first.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench_candidate.h"
#include "bench_context.h"
#include "bench_sampler.h"

typedef struct {
    bool kept;
    bool measured;
    uint64_t rss_before;
    uint64_t rss_after;
} memory_run_t;

typedef struct {
    const bench_context_t* ctx;
    bench_side_t side;
    module_system_config_t config;
    module_system_t* system;  /* candidate */
    module_handle_t* handles; /* candidate: scale_modules entries */
    void** libraries;         /* raw: scale_modules entries */
    size_t opened;
    memory_run_t* runs; /* one per iteration, warm-up included */
} memory_bench_t;

/* Resident set size in bytes, or 0 when /proc/self/statm cannot be read. */
static uint64_t resident_bytes(void)
{
    char text[256];
    int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return 0;
    }
    ssize_t n = read(fd, text, sizeof(text) - 1);
    close(fd);
    if (n <= 0) {
        return 0;
    }
    text[n] = '\0';
    char* end = NULL;
    strtoull(text, &end, 10);                           /* size: total program size */
    unsigned long long pages = strtoull(end, &end, 10); /* resident */
    long page_size = sysconf(_SC_PAGESIZE);
    return page_size > 0 ? (uint64_t)pages * (uint64_t)page_size : 0;
}

static bool read_rss(uint64_t* bytes, bench_failure_t* failure)
{
    malloc_trim(0);
    *bytes = resident_bytes();
    if (*bytes == 0) {
        bench_failure_set_message(failure, "runner", "cannot read /proc/self/statm");
        return false;
    }
    return true;
}

static bool open_one(memory_bench_t* bench, size_t index, bench_failure_t* failure)
{
    const char* path = bench_context_copy(bench->ctx, bench->side, index);
    if (path == NULL) {
        bench_failure_set_message(failure, "runner", "the pool of module copies is too small");
        return false;
    }
    if (bench->side == BENCH_SIDE_CANDIDATE) {
        bench->handles[index] = bench->ctx->api->module_load(bench->system, path);
        if (bench->handles[index] == NULL) {
            bench_failure_from_candidate(failure, bench->ctx->api, "module_load");
            return false;
        }
    } else {
        bench->libraries[index] = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        if (bench->libraries[index] == NULL) {
            bench_failure_from_dlerror(failure, "dlopen");
            return false;
        }
    }
    bench->opened = index + 1;
    return true;
}

static bool measure_growth(bench_iteration_t* it)
{
    memory_bench_t* bench = it->ctx;
    bench_failure_t* failure = &it->failure;
    size_t batch = it->batch;
    memory_run_t* run = &bench->runs[it->index];
    if (!read_rss(&run->rss_before, failure)) {
        return false;
    }
    if (bench->side == BENCH_SIDE_CANDIDATE) {
        bench->system = bench_open_system(bench->ctx, &bench->config, failure);
        if (bench->system == NULL) {
            return false;
        }
    }
    for (size_t i = 0; i < batch; i++) {
        if (!open_one(bench, i, failure)) {
            return false;
        }
    }
    if (!read_rss(&run->rss_after, failure)) {
        return false;
    }
    run->measured = true;
    run->kept = it->index >= bench->ctx->scale_warmup;
    /* Signed: a shrinking RSS is a measurement too, and is reported as such. */
    it->value = ((double)run->rss_after - (double)run->rss_before) / (double)batch;
    return true;
}

static bool close_all(bench_iteration_t* it)
{
    memory_bench_t* bench = it->ctx;
    bench_failure_t* failure = &it->failure;
    bool ok = true;
    for (size_t i = 0; i < bench->opened; i++) {
        if (bench->side == BENCH_SIDE_CANDIDATE) {
            if (!bench->ctx->api->module_unload(bench->handles[i]) && ok) {
                bench_failure_from_candidate(failure, bench->ctx->api, "module_unload");
                ok = false;
            }
        } else if (dlclose(bench->libraries[i]) != 0 && ok) {
            bench_failure_from_dlerror(failure, "dlclose");
            ok = false;
        }
    }
    bench->opened = 0;
    if (bench->system != NULL) {
        bench->ctx->api->module_system_destroy(bench->system);
        bench->system = NULL;
    }
    return ok;
}

/* The detail: the configuration and method, then every measured run of both sides in the order
 * they ran. False when out of memory. */
static bool fill_detail(bench_detail_t* detail, const bench_context_t* ctx,
                        const memory_bench_t* const sides[2])
{
    size_t iterations = ctx->scale_warmup + ctx->scale_samples;
    if (!bench_detail_init(detail, 2 * iterations)) {
        return false;
    }
    bench_record_t* summary = &detail->summary;
    bench_record_add(summary, bench_field_uint("modules", ctx->scale_modules));
    bench_record_add(summary, bench_field_uint("max_concurrent_modules",
                                               sides[0]->config.max_concurrent_modules));
    bench_record_add(summary, bench_field_int("page_size", sysconf(_SC_PAGESIZE)));
    bench_record_add(summary, bench_field_string("method", "(RSS after loading - RSS before "
                                                           "module_system_init) / modules; RSS = "
                                                           "/proc/self/statm resident x page size; "
                                                           "malloc_trim(0) before each reading"));
    for (size_t i = 0; i < iterations; i++) {
        for (int side = 0; side < 2; side++) {
            const memory_run_t* run = &sides[side]->runs[i];
            if (!run->measured) {
                continue;
            }
            bench_record_t record = {0};
            bench_record_add(&record,
                             bench_field_string("side", side == 0 ? "candidate" : "dlopen"));
            bench_record_add(&record, bench_field_bool("warmup", !run->kept));
            bench_record_add(&record, bench_field_uint("rss_before", run->rss_before));
            bench_record_add(&record, bench_field_uint("rss_after", run->rss_after));
            bench_detail_add_run(detail, &record);
        }
    }
    return true;
}

static bool init_side(memory_bench_t* bench, const bench_context_t* ctx, bench_side_t side)
{
    *bench = (memory_bench_t){.ctx = ctx, .side = side, .config = bench_scale_config()};
    size_t iterations = ctx->scale_warmup + ctx->scale_samples;
    bench->runs = calloc(iterations > 0 ? iterations : 1, sizeof(memory_run_t));
    if (side == BENCH_SIDE_CANDIDATE) {
        bench->handles = calloc(ctx->scale_modules, sizeof(module_handle_t));
        return bench->runs != NULL && bench->handles != NULL;
    }
    bench->libraries = calloc(ctx->scale_modules, sizeof(void*));
    return bench->runs != NULL && bench->libraries != NULL;
}

static void free_side(memory_bench_t* bench)
{
    free(bench->runs);
    free(bench->handles);
    free(bench->libraries);
}

void bench_family_memory(const bench_context_t* ctx, bench_results_t* results)
{
    static const char* const needed[] = {"module_system_init", "module_system_destroy",
                                         "module_load", "module_unload"};
    char why[256];
    if (!bench_candidate_require(ctx->api, needed, 4, why, sizeof(why))) {
        bench_results_add_unavailable(results, "memory_per_module", why);
        return;
    }
    memory_bench_t candidate, raw;
    bench_run_t run = {.name = "memory_per_module",
                       .unit = "bytes",
                       .batch = ctx->scale_modules,
                       .warmup = ctx->scale_warmup,
                       .baseline_name = "dlopen"};
    bool ready = init_side(&candidate, ctx, BENCH_SIDE_CANDIDATE) &
                 init_side(&raw, ctx, BENCH_SIDE_RAW) &
                 bench_series_init(&run.series, ctx->scale_samples) &
                 bench_series_init(&run.baseline, ctx->scale_samples);
    if (ready) {
        bench_case_t candidate_case = {.ctx = &candidate,
                                       .batch = ctx->scale_modules,
                                       .self_measured = true,
                                       .run = measure_growth,
                                       .finish = close_all};
        bench_case_t raw_case = candidate_case;
        raw_case.ctx = &raw;
        bench_sample(&candidate_case, &raw_case, ctx->scale_warmup, ctx->scale_samples, &run.series,
                     &run.baseline);
        const memory_bench_t* const sides[2] = {&candidate, &raw};
        ready = fill_detail(&run.detail, ctx, sides);
    }
    if (ready) {
        bench_results_add(results, &run);
    } else {
        bench_run_free(&run);
        bench_results_add_unavailable(results, "memory_per_module", "runner out of memory");
    }
    free_side(&candidate);
    free_side(&raw);
}
