/*
 * bench_sampler.h — warm-up, batched iterations and samples, the same way for every benchmark.
 *
 * A benchmark describes one iteration as a case: an untimed `prepare`, the timed `run` of `batch`
 * operations, and an untimed `finish`. The sampler runs `warmup` discarded iterations, then
 * `samples` kept ones; each kept sample is the time of the whole `run` divided by `batch` (ns per
 * operation). Only `run` is between the two clock reads.
 *
 * With a raw baseline (the platform loader doing the same job on its own files), the two cases are
 * interleaved iteration by iteration and the one that goes first alternates, so that drift of the
 * machine (frequency, other load, page-cache state) affects both series alike.
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

typedef struct {
    void* ctx;
    size_t batch;       /* operations per timed run, >= 1 */
    bool self_measured; /* the sample is what run stores in *value, not its duration / batch */
    /* Untimed set-up of iteration `iteration` (warm-up included, counting from 0). May be NULL. */
    bool (*prepare)(void* ctx, size_t iteration, size_t batch, bench_failure_t* failure);
    /* The timed part: performs `batch` operations. A self-measured case stores its sample in
     * *value; a timed case leaves it alone. */
    bool (*run)(void* ctx, size_t iteration, size_t batch, double* value, bench_failure_t* failure);
    /* Untimed clean-up, called after every run whose prepare succeeded (whether the run succeeded
     * or not). A failure here is recorded but does not drop the sample: the timed part was
     * measured correctly. May be NULL. */
    bool (*finish)(void* ctx, size_t iteration, size_t batch, bench_failure_t* failure);
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
