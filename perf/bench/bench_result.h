/*
 * bench_result.h — what a family hands back to the runner: one result per operation.
 *
 * A family measures; it neither formats nor prints. Each operation it measures becomes a
 * bench_run_t (the samples, what went wrong, the baseline and any detail as plain data), which it
 * hands to the runner through bench_results_t. The runner passes each to the one reporter
 * (bench_report.h) in the order they were added, the order of the results file. The shape follows
 * the runner/reporter split of Google Benchmark (a Run per benchmark, ReportRuns), so that a new
 * family only fills a struct.
 */
#ifndef COREMOD_BENCH_RESULT_H
#define COREMOD_BENCH_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bench_failure.h"
#include "bench_sampler.h"

/* One member of a detail object: a key and a scalar. Keys and strings point to storage that
 * outlives the results (string literals): a detail says how it was measured, not what failed. */
typedef enum {
    BENCH_VALUE_UINT,
    BENCH_VALUE_INT,
    BENCH_VALUE_BOOL,
    BENCH_VALUE_STRING,
    BENCH_VALUE_NULL,
} bench_value_kind_t;

typedef struct {
    const char* key;
    bench_value_kind_t kind;
    union {
        uint64_t uint_value;
        int64_t int_value;
        bool bool_value;
        const char* string_value;
    };
} bench_field_t;

static inline bench_field_t bench_field_uint(const char* key, uint64_t value)
{
    return (bench_field_t){.key = key, .kind = BENCH_VALUE_UINT, .uint_value = value};
}

static inline bench_field_t bench_field_int(const char* key, int64_t value)
{
    return (bench_field_t){.key = key, .kind = BENCH_VALUE_INT, .int_value = value};
}

static inline bench_field_t bench_field_bool(const char* key, bool value)
{
    return (bench_field_t){.key = key, .kind = BENCH_VALUE_BOOL, .bool_value = value};
}

static inline bench_field_t bench_field_string(const char* key, const char* value)
{
    return (bench_field_t){.key = key, .kind = BENCH_VALUE_STRING, .string_value = value};
}

static inline bench_field_t bench_field_null(const char* key)
{
    return (bench_field_t){.key = key, .kind = BENCH_VALUE_NULL};
}

/* An object of scalars, in the order added (the order of the results file). */
#define BENCH_RECORD_MAX_FIELDS 8

typedef struct {
    size_t count;
    bench_field_t fields[BENCH_RECORD_MAX_FIELDS];
} bench_record_t;

/* Appends `field`; false (and nothing added) when the record is full, a runner bug. */
bool bench_record_add(bench_record_t* record, bench_field_t field);

/* The "detail" of a scale operation: its summary members, then "runs", one record per run. */
typedef struct {
    bool present; /* false: the operation has no "detail" */
    bench_record_t summary;
    bench_record_t* runs; /* freed with the result; NULL with run_count 0 */
    size_t run_count;
    size_t run_capacity;
} bench_detail_t;

/* Allocates room for `count` run records; false when out of memory. */
bool bench_detail_init(bench_detail_t* detail, size_t count);

/* Appends a run record; false when the room of bench_detail_init is used up. */
bool bench_detail_add_run(bench_detail_t* detail, const bench_record_t* run);

/* The result of one operation. Start from a designated initializer (zeroed series), fill it, and
 * give it to bench_results_add, which frees it after the runner has handled it. */
typedef struct {
    const char* name; /* operation, e.g. "module_load" (a string literal) */
    /* The operation could not be measured at all: the results carry only "name" and "error",
     * and the other members are ignored. */
    bool unavailable;
    char error[512];
    const char* unit; /* "ns" (per operation), "bytes" or "count" */
    size_t batch;     /* operations per sample */
    size_t warmup;    /* discarded iterations before the samples */
    bench_series_t series;
    /* Raw loader call ("dlopen", ...) or the reference workload (bench_reference_name); NULL: no
     * baseline, and `baseline` is ignored. */
    const char* baseline_name;
    bool baseline_is_reference; /* the runner's own workload: "reference", not "raw_baseline" */
    bench_series_t baseline;
    bench_detail_t detail;
} bench_run_t;

/* Frees what a result holds (safe on one that was zero-initialised). */
void bench_run_free(bench_run_t* run);

/* Where a family hands its results: to the runner, one at a time, as each operation is finished
 * (before the family starts the next). The runner sets `handle`: it has callgrind dump what it
 * collected for the operation (--metric instructions) and gives the result to the reporter. A
 * result is handed over, not kept: once `handle` returns, its memory is freed. */
typedef struct bench_results bench_results_t;
struct bench_results {
    void (*handle)(bench_results_t* results, const bench_run_t* run);
    void* runner; /* the runner's state, for `handle` */
};

/* Hands `run` to the runner and frees what it holds (the caller must not use it again). */
void bench_results_add(bench_results_t* results, bench_run_t* run);

/* Adds an operation whose set-up failed before any sample: the shape of `run` (name, unit, batch,
 * warmup), no samples and no baseline, `failure` in its errors. */
void bench_results_add_failed(bench_results_t* results, const bench_run_t* shape,
                              const bench_failure_t* failure);

/* Adds an operation that could not be measured at all, with the reason. */
void bench_results_add_unavailable(bench_results_t* results, const char* name, const char* error);

/* The start of an unavailable operation's error when the candidate or the machine lacks what the
 * measurement needs (a kind the platform does not provide; a coremod addition the method uses
 * that the candidate does not export): the judge then reports the gate as not judged ("skipped",
 * judge/gates.py NOT_SUPPORTED_PREFIX), never as a pass and never as the candidate's failure. */
#define BENCH_NOT_SUPPORTED_PREFIX "not supported: "

#endif /* COREMOD_BENCH_RESULT_H */
