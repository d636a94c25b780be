/*
 * bench_report.h — writes operations in the results schema coremod-bench/1.
 *
 * The schema is described in docs/harness-interfaces.md. The runner only writes raw samples and
 * what went wrong; percentiles, ratios and verdicts are computed by the `coremod` command.
 */
#ifndef COREMOD_BENCH_REPORT_H
#define COREMOD_BENCH_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "bench_json.h"
#include "bench_sampler.h"

#define BENCH_SCHEMA "coremod-bench/1"

typedef struct {
    const char* name; /* operation, e.g. "module_load" */
    const char* unit; /* "ns" (per operation), "bytes" or "count" */
    size_t batch;     /* operations per sample */
    size_t warmup;    /* discarded iterations before the samples */
    const bench_series_t* series;
    const char* baseline_name; /* raw loader call ("dlopen", ...) or the reference workload
                                * (bench_reference_name); NULL: no baseline */
    const bench_series_t* baseline;
    bool baseline_is_reference; /* a workload of the runner's own (bench_reference.h): the
                                 * results call it "reference", not "raw_baseline" */
    /* Writes the value of "detail" (one object); NULL: the operation has no detail. */
    void (*detail)(bench_json_t* json, const void* ctx);
    const void* detail_ctx;
} bench_operation_t;

/* Appends one measured operation to the "operations" array being written. */
void bench_report_operation(bench_json_t* json, const bench_operation_t* operation);

/* Appends an operation whose set-up failed before any sample (e.g. module_system_init returned
 * NULL): no samples, the failure in "errors". `operation->series` is ignored. */
void bench_report_failed(bench_json_t* json, const bench_operation_t* operation,
                         const bench_failure_t* failure);

/* Appends an operation that could not be measured at all: {"name": ..., "error": ...}. */
void bench_report_unavailable(bench_json_t* json, const char* name, const char* error);

#endif /* COREMOD_BENCH_REPORT_H */
