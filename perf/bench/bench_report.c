/* bench_report.c — see bench_report.h. */
#include "bench_report.h"

#include "bench_instructions.h"

static void write_failures(bench_json_t* json, const bench_failures_t* failures)
{
    bench_json_key(json, "failures");
    bench_json_uint(json, failures->total);
    bench_json_key(json, "errors");
    bench_json_begin_array(json);
    for (size_t i = 0; i < failures->recorded; i++) {
        const bench_failure_t* f = &failures->items[i];
        bench_json_begin_object(json);
        bench_json_key(json, "call");
        bench_json_string(json, f->call);
        bench_json_key(json, "code");
        if (f->has_code) {
            bench_json_int(json, f->code);
        } else {
            bench_json_null(json);
        }
        bench_json_key(json, "string");
        bench_json_string(json, f->has_code ? f->string : NULL);
        bench_json_key(json, "message");
        bench_json_string(json, f->message);
        bench_json_end_object(json);
    }
    bench_json_end_array(json);
}

/* Samples, failure count, errors and the abort flag of one series. */
static void write_series(bench_json_t* json, const bench_series_t* series)
{
    bench_json_key(json, "samples");
    bench_json_begin_array(json);
    for (size_t i = 0; i < series->count; i++) {
        bench_json_double(json, series->samples[i]);
    }
    bench_json_end_array(json);
    write_failures(json, &series->failures);
    if (series->aborted) {
        bench_json_key(json, "aborted");
        bench_json_string(json, "stopped after repeated consecutive failures");
    }
}

void bench_report_operation(bench_json_t* json, const bench_operation_t* op)
{
    /* Counting instructions: what was collected since the last operation belongs to this one. */
    bench_instructions_dump(op->name);
    bench_json_begin_object(json);
    bench_json_key(json, "name");
    bench_json_string(json, op->name);
    bench_json_key(json, "unit");
    bench_json_string(json, op->unit);
    bench_json_key(json, "batch");
    bench_json_uint(json, op->batch);
    bench_json_key(json, "warmup");
    bench_json_uint(json, op->warmup);
    write_series(json, op->series);
    if (op->baseline_name != NULL && op->baseline != NULL) {
        bench_json_key(json, op->baseline_is_reference ? "reference" : "raw_baseline");
        bench_json_begin_object(json);
        bench_json_key(json, "name");
        bench_json_string(json, op->baseline_name);
        write_series(json, op->baseline);
        bench_json_end_object(json);
    }
    if (op->detail != NULL) {
        bench_json_key(json, "detail");
        op->detail(json, op->detail_ctx);
    }
    bench_json_end_object(json);
}

void bench_report_failed(bench_json_t* json, const bench_operation_t* operation,
                         const bench_failure_t* failure)
{
    bench_series_t empty = {0};
    bench_series_fail(&empty, failure);
    bench_operation_t failed = *operation;
    failed.series = &empty;
    failed.baseline_name = NULL;
    failed.baseline = NULL;
    bench_report_operation(json, &failed);
}

void bench_report_unavailable(bench_json_t* json, const char* name, const char* error)
{
    bench_json_begin_object(json);
    bench_json_key(json, "name");
    bench_json_string(json, name);
    bench_json_key(json, "error");
    bench_json_string(json, error);
    bench_json_end_object(json);
}
