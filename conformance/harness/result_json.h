/*
 * result_json.h — one case result as a JSON line (schema coremod-case/1,
 * docs/harness-interfaces.md). The only JSON writer of the suite.
 */
#ifndef CONFORMANCE_RESULT_JSON_H
#define CONFORMANCE_RESULT_JSON_H

#include <stddef.h>

#define CASE_RESULT_SCHEMA "coremod-case/1"

typedef struct {
    const char* id;     /* "CORE-LOAD-001" */
    const char* suite;  /* "core_load" */
    const char* clause; /* "3.1" */
    const char* title;
    const char* status; /* pass, fail, crash, timeout, not_supported, quality_warning */
    const char* message;
    double elapsed_s;
} case_record_t;

/* The record as one line of JSON ending in '\n' (malloc'd; NULL if out of memory). Strings are
 * escaped per RFC 8259; bytes that are not valid UTF-8 become U+FFFD, so the line is always valid
 * JSON whatever a candidate put in its messages. */
char* case_record_json(const case_record_t* record);

#endif /* CONFORMANCE_RESULT_JSON_H */
