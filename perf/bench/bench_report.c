/* bench_report.c — see bench_report.h. */
#include "bench_report.h"

static void write_header(bench_json_t* json, const bench_report_header_t* header)
{
    bench_json_key(json, "schema");
    bench_json_string(json, BENCH_SCHEMA);
    bench_json_key(json, "candidate");
    bench_json_string(json, header->candidate);
    bench_json_key(json, "fixtures");
    bench_json_string(json, header->fixtures);
    bench_json_key(json, "quick");
    bench_json_bool(json, header->quick);
    /* "instructions": the samples are times under valgrind, useless as times; the counts are in
     * callgrind's dumps (bench_instructions.h). */
    bench_json_key(json, "metric");
    bench_json_string(json, header->count_instructions ? "instructions" : "time");
    bench_json_key(json, "timer");
    bench_json_begin_object(json);
    bench_json_key(json, "source");
    bench_json_string(json, header->timer_source);
    bench_json_key(json, "resolution_ns");
    bench_json_uint(json, header->timer_resolution_ns);
    bench_json_key(json, "overhead_ns");
    bench_json_uint(json, header->timer_overhead_ns);
    bench_json_end_object(json);
}

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

/* The members of one record, into the object the caller opened. */
static void write_fields(bench_json_t* json, const bench_record_t* record)
{
    for (size_t i = 0; i < record->count; i++) {
        const bench_field_t* field = &record->fields[i];
        bench_json_key(json, field->key);
        switch (field->kind) {
        case BENCH_VALUE_UINT: bench_json_uint(json, field->uint_value); break;
        case BENCH_VALUE_INT: bench_json_int(json, field->int_value); break;
        case BENCH_VALUE_BOOL: bench_json_bool(json, field->bool_value); break;
        case BENCH_VALUE_STRING: bench_json_string(json, field->string_value); break;
        case BENCH_VALUE_NULL:
        default: bench_json_null(json); break;
        }
    }
}

static void write_detail(bench_json_t* json, const bench_detail_t* detail)
{
    bench_json_key(json, "detail");
    bench_json_begin_object(json);
    write_fields(json, &detail->summary);
    bench_json_key(json, "runs");
    bench_json_begin_array(json);
    for (size_t i = 0; i < detail->run_count; i++) {
        bench_json_begin_object(json);
        write_fields(json, &detail->runs[i]);
        bench_json_end_object(json);
    }
    bench_json_end_array(json);
    bench_json_end_object(json);
}

static void write_run(bench_json_t* json, const bench_run_t* run)
{
    bench_json_begin_object(json);
    bench_json_key(json, "name");
    bench_json_string(json, run->name);
    if (run->unavailable) {
        bench_json_key(json, "error");
        bench_json_string(json, run->error);
        bench_json_end_object(json);
        return;
    }
    bench_json_key(json, "unit");
    bench_json_string(json, run->unit);
    bench_json_key(json, "batch");
    bench_json_uint(json, run->batch);
    bench_json_key(json, "warmup");
    bench_json_uint(json, run->warmup);
    write_series(json, &run->series);
    if (run->baseline_name != NULL) {
        bench_json_key(json, run->baseline_is_reference ? "reference" : "raw_baseline");
        bench_json_begin_object(json);
        bench_json_key(json, "name");
        bench_json_string(json, run->baseline_name);
        write_series(json, &run->baseline);
        bench_json_end_object(json);
    }
    if (run->detail.present) {
        write_detail(json, &run->detail);
    }
    bench_json_end_object(json);
}

void bench_report_begin(bench_report_t* report, FILE* out, const bench_report_header_t* header)
{
    bench_json_init(&report->json, out);
    bench_json_begin_object(&report->json);
    write_header(&report->json, header);
    bench_json_key(&report->json, "operations");
    bench_json_begin_array(&report->json);
}

void bench_report_run(bench_report_t* report, const bench_run_t* run)
{
    write_run(&report->json, run);
}

bool bench_report_end(bench_report_t* report)
{
    bench_json_end_array(&report->json);
    bench_json_end_object(&report->json);
    return bench_json_ok(&report->json);
}
