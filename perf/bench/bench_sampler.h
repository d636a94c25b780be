/*
 * bench_sampler.h — warm-up, batched iterations and samples, the same way for every benchmark.
 *
 * A benchmark describes one iteration as a case: an untimed `prepare`, the timed `run` of `batch`
 * operations, and an untimed `finish`. The sampler runs `warmup` discarded iterations, then
 * `samples` kept ones; each kept sample is the time of the whole `run` divided by `batch` (ns per
 * operation). Only `run` is between the two clock reads.
 *
 * With a platform-loader twin (the platform loader doing the same job on its own files), the two
 * cases are interleaved iteration by iteration and the one that goes first alternates, so that
 * drift of the machine (frequency, other load, page-cache state) affects both series alike.
 *
 * A benchmark whose sample is not a time (memory growth, a count) marks its case self_measured:
 * its run reports the sample itself, and the sampler only provides warm-up and interleaving.
 *
 * A failed prepare or run drops that iteration (never a made-up number) and records why. A case
 * that fails BENCH_MAX_CONSECUTIVE_FAILURES times in a row is abandoned, marked aborted.
 */
#ifndef COREMOD_BENCH_SAMPLER_H
#define COREMOD_BENCH_SAMPLER_H

#include <stdbool.h>
#include <stddef.h>

#include "bench_failure.h"

#define BENCH_MAX_CONSECUTIVE_FAILURES 20

/* One iteration as the case's callbacks see it: everything a callback may need in one argument,
 * so each reads only what it uses (no unused parameters to silence). */
typedef struct {
    void* ctx;               /* the case's ctx */
    size_t index;            /* the iteration, warm-up included, counting from 0 */
    size_t batch;            /* the case's batch */
    double value;            /* a self-measured case's run stores its sample here */
    bench_failure_t failure; /* filled by a callback that returns false */
} bench_iteration_t;

typedef struct {
    void* ctx;
    size_t batch;       /* operations per timed run, >= 1 */
    bool self_measured; /* the sample is what run stores in iteration->value, not its duration /
                         * batch */
    /* Untimed set-up of the iteration. May be NULL. */
    bool (*prepare)(bench_iteration_t* iteration);
    /* The timed part: performs `batch` operations. */
    bool (*run)(bench_iteration_t* iteration);
    /* Untimed clean-up, called after every run whose prepare succeeded (whether the run succeeded
     * or not). A failure here is recorded but does not drop the sample: the timed part was
     * measured correctly. May be NULL. */
    bool (*finish)(bench_iteration_t* iteration);
} bench_case_t;

typedef struct {
    double* samples; /* ns per operation, in the order measured */
    size_t count;
    size_t capacity;
    bench_failures_t failures;
    size_t consecutive_failures;
    bool aborted; /* gave up after BENCH_MAX_CONSECUTIVE_FAILURES */
} bench_series_t;

/* Allocates room for `capacity` samples. Returns false when out of memory. */
bool bench_series_init(bench_series_t* series, size_t capacity);
void bench_series_free(bench_series_t* series);

/* Appends one sample (used by benchmarks that are not timed, e.g. memory or counts). Returns
 * false when the series is full. */
bool bench_series_add(bench_series_t* series, double value);

/* Records a failure of one iteration and updates the abort state. */
void bench_series_fail(bench_series_t* series, const bench_failure_t* failure);

/* Runs `warmup + samples` iterations of `subject` (and of `baseline`, if not NULL, interleaved),
 * appending kept samples to `subject_out` / `baseline_out` (initialised with room for `samples`).
 */
void bench_sample(const bench_case_t* subject, const bench_case_t* baseline, size_t warmup,
                  size_t samples, bench_series_t* subject_out, bench_series_t* baseline_out);

#endif /* COREMOD_BENCH_SAMPLER_H */
