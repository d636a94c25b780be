/*
 * bench_optimization_cold.c — the first (cold) call of each gated JIT, Cache and NUMA function
 * in a fresh process, reported next to the steady state (SPEC P.7–P.11, no gate):
 * jit_optimization_create_cold (the create that runs machine detection, SPEC 13.1),
 * jit_get_apple_silicon_info_cold, jit_generate_compilation_hints_cold (64 KiB),
 * cache_generate_prefetch_pattern_cold and numa_place_module_cold (each the first call on a
 * fresh context, after the first create of the process).
 *
 * A process has one first call, so each sample is a child forked from the runner before the
 * runner itself has called any of these functions (this family runs before the steady ones): the
 * child times its first calls in the order above, sends the figures through a pipe and exits
 * with _exit (no atexit handler: the module copies belong to the parent). The child inherits the
 * candidate already loaded and relocated: the figures are first calls, not dlopen.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_candidate.h"
#include "bench_context.h"
#include "bench_optimization.h"
#include "bench_sampler.h"
#include "bench_timer.h"

#define COLD_OPERATIONS 5
#define COLD_MAX_SAMPLES 50
#define COLD_MAX_WARMUP 2

static const char* const cold_names[COLD_OPERATIONS] = {
    "jit_optimization_create_cold",
    "jit_get_apple_silicon_info_cold",
    "jit_generate_compilation_hints_cold",
    "cache_generate_prefetch_pattern_cold",
    "numa_place_module_cold",
};

typedef struct {
    double ns[COLD_OPERATIONS];
    int failed_at; /* -1: all succeeded; else the index of the call that failed */
    bench_failure_t failure;
} cold_report_t;

static unsigned char cold_data[64];

/* In the child: the five first calls, timed one by one. On a failure, r->failed_at names the
 * call that failed (the later ones are not made). */
static void measure_first_calls(const candidate_api_t* api, cold_report_t* r)
{
    static const char* const calls[COLD_OPERATIONS] = {
        "jit_optimization_create", "jit_get_apple_silicon_info", "jit_generate_compilation_hints",
        "cache_generate_prefetch_pattern", "numa_place_module"};
    const uint8_t* code = bench_jit_code(); /* built before any clock read */
    apple_silicon_info_t info;
    jit_compilation_hints_t hints;
    cache_prefetch_pattern_t pattern;
    module_placement_request_t request = bench_placement_request(0);
    module_placement_result_t placed;
    size_t size;
    cache_access_pattern_t shape;
    bench_pattern_shape(0, &size, &shape);
    uint64_t start;
    bool ok;

    r->failed_at = 0;
    start = bench_timer_now_ns();
    jit_optimization_context_t* jit = api->jit_optimization_create();
    r->ns[0] = (double)(bench_timer_now_ns() - start);
    if (jit == NULL) {
        goto failed;
    }
    r->failed_at = 1;
    start = bench_timer_now_ns();
    ok = api->jit_get_apple_silicon_info(jit, &info);
    r->ns[1] = (double)(bench_timer_now_ns() - start);
    if (!ok) {
        goto failed;
    }
    r->failed_at = 2;
    if (code == NULL) {
        bench_failure_set_message(&r->failure, "runner", "out of memory for the code buffer");
        return;
    }
    start = bench_timer_now_ns();
    ok = api->jit_generate_compilation_hints(jit, code, BENCH_JIT_CODE_BYTES, &hints);
    r->ns[2] = (double)(bench_timer_now_ns() - start);
    if (!ok) {
        goto failed;
    }
    r->failed_at = 3;
    cache_optimization_context_t* cache = api->cache_optimization_create();
    if (cache == NULL) {
        bench_failure_from_candidate(&r->failure, api, "cache_optimization_create");
        return;
    }
    start = bench_timer_now_ns();
    ok = api->cache_generate_prefetch_pattern(cache, cold_data, size, shape, &pattern);
    r->ns[3] = (double)(bench_timer_now_ns() - start);
    if (!ok) {
        goto failed;
    }
    r->failed_at = 4;
    numa_optimization_context_t* numa = api->numa_optimization_create();
    if (numa == NULL) {
        bench_failure_from_candidate(&r->failure, api, "numa_optimization_create");
        return;
    }
    start = bench_timer_now_ns();
    ok = api->numa_place_module(numa, &request, &placed);
    r->ns[4] = (double)(bench_timer_now_ns() - start);
    if (!ok) {
        goto failed;
    }
    r->failed_at = -1; /* the child exits: its contexts die with it */
    return;
failed:
    bench_failure_from_candidate(&r->failure, api, calls[r->failed_at]);
}

/* One child: fills *r, or a failure describing why the child gave nothing. */
static void run_child(const candidate_api_t* api, cold_report_t* r)
{
    memset(r, 0, sizeof(*r));
    int fds[2];
    if (pipe(fds) != 0) {
        r->failed_at = 0;
        bench_failure_set_message(&r->failure, "pipe", strerror(errno));
        return;
    }
    fflush(NULL); /* nothing buffered is written twice */
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        cold_report_t mine;
        memset(&mine, 0, sizeof(mine));
        measure_first_calls(api, &mine);
        ssize_t written = write(fds[1], &mine, sizeof(mine));
        _exit(written == (ssize_t)sizeof(mine) ? 0 : 1);
    }
    close(fds[1]);
    ssize_t got = pid > 0 ? read(fds[0], r, sizeof(*r)) : -1;
    close(fds[0]);
    int status = 0;
    if (pid > 0) {
        waitpid(pid, &status, 0);
    }
    if (pid < 0 || got != (ssize_t)sizeof(*r)) {
        char why[128];
        snprintf(why, sizeof(why),
                 pid < 0               ? "fork failed"
                 : WIFSIGNALED(status) ? "the child process was killed by signal %d"
                                       : "the child process sent no figures",
                 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
        memset(r, 0, sizeof(*r));
        r->failed_at = 0;
        bench_failure_set_message(&r->failure, "fork", why);
    }
}

void bench_family_optimization_cold(const bench_context_t* ctx, bench_results_t* results)
{
    static const char* const needed[] = {"jit_optimization_create",
                                         "jit_get_apple_silicon_info",
                                         "jit_generate_compilation_hints",
                                         "cache_optimization_create",
                                         "cache_generate_prefetch_pattern",
                                         "numa_optimization_create",
                                         "numa_place_module"};
    char why[512];
    if (!bench_candidate_require(ctx->api, needed, 7, why, sizeof(why))) {
        for (int op = 0; op < COLD_OPERATIONS; op++) {
            bench_results_add_unavailable(results, cold_names[op], why);
        }
        return;
    }
    size_t samples = ctx->samples < COLD_MAX_SAMPLES ? ctx->samples : COLD_MAX_SAMPLES;
    size_t warmup = ctx->warmup < COLD_MAX_WARMUP ? ctx->warmup : COLD_MAX_WARMUP;
    bench_run_t runs[COLD_OPERATIONS];
    for (int op = 0; op < COLD_OPERATIONS; op++) {
        runs[op] =
            (bench_run_t){.name = cold_names[op], .unit = "ns", .batch = 1, .warmup = warmup};
        bench_series_init(&runs[op].series, samples);
    }
    for (size_t i = 0; i < warmup + samples && !runs[0].series.aborted; i++) {
        cold_report_t r;
        run_child(ctx->api, &r);
        for (int op = 0; op < COLD_OPERATIONS; op++) {
            if (r.failed_at >= 0 && op >= r.failed_at) {
                /* a failed call is never a number */
                bench_series_fail(&runs[op].series, &r.failure);
            } else if (i >= warmup) {
                bench_series_add(&runs[op].series, r.ns[op]);
            }
        }
    }
    for (int op = 0; op < COLD_OPERATIONS; op++) {
        bench_results_add(results, &runs[op]);
    }
}
