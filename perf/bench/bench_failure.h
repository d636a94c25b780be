/*
 * bench_failure.h — what went wrong in an operation the runner tried to measure.
 *
 * A benchmark never turns a failed call into a number: the sample is dropped and the failure is
 * recorded here, with the candidate's error code and string (or the platform loader's message for
 * the platform-loader twin), and written to the results file under the operation's "errors".
 */
#ifndef COREMOD_BENCH_FAILURE_H
#define COREMOD_BENCH_FAILURE_H

#include <stdbool.h>
#include <stddef.h>

/* The first failures of an operation are recorded in full; later ones are only counted, so that a
 * candidate failing every call does not produce a results file of thousands of identical lines. */
#define BENCH_FAILURES_RECORDED 16

typedef struct {
    char call[48];     /* the call that failed, e.g. "module_load" or "dlopen" */
    bool has_code;     /* false when the candidate has no module_get_last_error */
    int code;          /* module_error_t value */
    char string[128];  /* module_get_error_string(code), or "" */
    char message[512]; /* the error callback's message, dlerror(), or the runner's own words */
} bench_failure_t;

typedef struct {
    size_t total;    /* every failure, recorded or not */
    size_t recorded; /* entries used in `items` */
    bench_failure_t items[BENCH_FAILURES_RECORDED];
} bench_failures_t;

/* Fills `failure` for a call that failed without a candidate error code (a raw loader call, or a
 * check the runner made itself). */
void bench_failure_set_message(bench_failure_t* failure, const char* call, const char* message);

/* Fills `failure` from dlerror() for a failed raw dlopen/dlsym/dlclose call. */
void bench_failure_from_dlerror(bench_failure_t* failure, const char* call);

/* Counts `failure` and keeps a copy while there is room. */
void bench_failures_add(bench_failures_t* failures, const bench_failure_t* failure);

/* Adds every failure of `from` to `into` (used to merge per-thread lists). */
void bench_failures_merge(bench_failures_t* into, const bench_failures_t* from);

#endif /* COREMOD_BENCH_FAILURE_H */
