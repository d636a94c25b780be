/* bench_result.c — see bench_result.h. */
#include "bench_result.h"

#include <stdio.h>
#include <stdlib.h>

bool bench_record_add(bench_record_t* record, bench_field_t field)
{
    if (record->count == BENCH_RECORD_MAX_FIELDS) {
        return false;
    }
    record->fields[record->count++] = field;
    return true;
}

bool bench_detail_init(bench_detail_t* detail, size_t count)
{
    *detail = (bench_detail_t){.present = true};
    detail->runs = calloc(count > 0 ? count : 1, sizeof(bench_record_t));
    detail->run_capacity = detail->runs != NULL ? count : 0;
    return detail->runs != NULL;
}

bool bench_detail_add_run(bench_detail_t* detail, const bench_record_t* run)
{
    if (detail->run_count == detail->run_capacity) {
        return false;
    }
    detail->runs[detail->run_count++] = *run;
    return true;
}

void bench_run_free(bench_run_t* run)
{
    bench_series_free(&run->series);
    bench_series_free(&run->baseline);
    free(run->detail.runs);
    run->detail = (bench_detail_t){0};
}

void bench_results_add(bench_results_t* results, bench_run_t* run)
{
    if (results->handle != NULL) {
        results->handle(results, run);
    }
    bench_run_free(run);
}

void bench_results_add_failed(bench_results_t* results, const bench_run_t* shape,
                              const bench_failure_t* failure)
{
    bench_run_t failed = {
        .name = shape->name, .unit = shape->unit, .batch = shape->batch, .warmup = shape->warmup};
    bench_series_fail(&failed.series, failure);
    bench_results_add(results, &failed);
}

void bench_results_add_unavailable(bench_results_t* results, const char* name, const char* error)
{
    bench_run_t unavailable = {.name = name, .unavailable = true};
    snprintf(unavailable.error, sizeof(unavailable.error), "%s", error != NULL ? error : "");
    bench_results_add(results, &unavailable);
}
