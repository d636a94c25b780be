/*
 * bench_report.h — the one reporter: the runner's results as JSON in schema coremod-bench/1.
 *
 * The schema is described in docs/harness-interfaces.md. The reporter turns what the families
 * handed back (bench_result.h) into text and is the only user of the JSON writer (bench_json.h);
 * it draws no conclusion: percentiles, ratios and verdicts are computed by the `coremod` command.
 *
 * Like Google Benchmark's reporter it streams: the header before the first family runs
 * (ReportContext), each result as the runner receives it (ReportRuns), the closing at the end
 * (Finalize). Writing as it goes, rather than keeping every result to the end, leaves the runner's
 * heap as it was when the families wrote their own JSON: the candidate's allocations, and so its
 * instruction counts under callgrind, do not move because the runner was restructured.
 */
#ifndef COREMOD_BENCH_REPORT_H
#define COREMOD_BENCH_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bench_json.h"
#include "bench_result.h"

#define BENCH_SCHEMA "coremod-bench/1"

/* What the results file says about the run as a whole (its members before "operations"). */
typedef struct {
    const char* candidate; /* the absolute path of the library measured */
    const char* fixtures;
    bool quick;
    bool count_instructions; /* "metric": "instructions" rather than "time" */
    const char* timer_source;
    uint64_t timer_resolution_ns;
    uint64_t timer_overhead_ns;
} bench_report_header_t;

/* The reporter's state: the writer of one results document. */
typedef struct {
    bench_json_t json;
} bench_report_t;

/* Starts the document on `out`: the header and the opening of "operations". */
void bench_report_begin(bench_report_t* report, FILE* out, const bench_report_header_t* header);

/* Appends one operation's result to "operations". */
void bench_report_run(bench_report_t* report, const bench_run_t* run);

/* Closes the document. False when the writer was misused or a write failed (the text is then not
 * a results file). */
bool bench_report_end(bench_report_t* report);

#endif /* COREMOD_BENCH_REPORT_H */
