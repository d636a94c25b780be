/* bench_sampler.c — see bench_sampler.h. */
#include "bench_sampler.h"

#include <stdlib.h>
#include <string.h>

#include "bench_instructions.h"
#include "bench_timer.h"

bool bench_series_init(bench_series_t* series, size_t capacity)
{
    memset(series, 0, sizeof(*series));
    series->samples = calloc(capacity > 0 ? capacity : 1, sizeof(double));
    series->capacity = capacity;
    return series->samples != NULL;
}

void bench_series_free(bench_series_t* series)
{
    free(series->samples);
    memset(series, 0, sizeof(*series));
}

bool bench_series_add(bench_series_t* series, double value)
{
    if (series->count == series->capacity) {
        return false;
    }
    series->samples[series->count++] = value;
    series->consecutive_failures = 0;
    return true;
}

void bench_series_fail(bench_series_t* series, const bench_failure_t* failure)
{
    bench_failures_add(&series->failures, failure);
    series->consecutive_failures++;
    if (series->consecutive_failures >= BENCH_MAX_CONSECUTIVE_FAILURES) {
        series->aborted = true;
    }
}

/* One iteration of one case: prepare, timed run, finish. The sample is kept only after warm-up and
 * only if prepare and run both succeeded. */
static void run_iteration(const bench_case_t* c, size_t index, bool keep, bench_series_t* out)
{
    bench_iteration_t it = {.ctx = c->ctx, .index = index, .batch = c->batch};
    if (c->prepare != NULL && !c->prepare(&it)) {
        bench_series_fail(out, &it.failure);
        return;
    }
    uint64_t start = bench_timer_now_ns();
    if (keep) {
        bench_instructions_begin();
    }
    bool ran = c->run(&it);
    if (keep) {
        bench_instructions_end();
    }
    uint64_t elapsed = bench_timer_now_ns() - start;
    double value = c->self_measured ? it.value : (double)elapsed / (double)c->batch;
    if (!ran) {
        bench_series_fail(out, &it.failure);
    }
    /* Counted, but it does not abort the series on its own: the timing was sound. */
    if (c->finish != NULL && !c->finish(&it)) {
        bench_failures_add(&out->failures, &it.failure);
    }
    if (ran && keep) {
        bench_series_add(out, value);
    } else if (ran) {
        out->consecutive_failures = 0;
    }
}

void bench_sample(const bench_case_t* subject, const bench_case_t* baseline, size_t warmup,
                  size_t samples, bench_series_t* subject_out, bench_series_t* baseline_out)
{
    if (bench_instructions_enabled()) {
        /* Counting instructions: only the candidate is measured (bench_instructions.h). */
        baseline = NULL;
    }
    for (size_t i = 0; i < warmup + samples; i++) {
        if (subject_out->aborted || (baseline != NULL && baseline_out->aborted)) {
            break;
        }
        bool keep = i >= warmup;
        bool baseline_first = baseline != NULL && (i % 2 == 1);
        if (baseline_first) {
            run_iteration(baseline, i, keep, baseline_out);
        }
        run_iteration(subject, i, keep, subject_out);
        if (baseline != NULL && !baseline_first) {
            run_iteration(baseline, i, keep, baseline_out);
        }
    }
}
