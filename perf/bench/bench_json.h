/*
 * bench_json.h — the one JSON writer of coremod-bench.
 *
 * A small streaming writer: the caller opens and closes objects and arrays, and the writer puts
 * commas, quotes, escapes and indentation where they belong. Keys of objects and container
 * elements of arrays go on their own lines; arrays of numbers stay on one line, so a results file
 * with thousands of samples is still readable. Numbers that JSON cannot represent (NaN,
 * infinities) are written as null rather than as invalid JSON.
 */
#ifndef COREMOD_BENCH_JSON_H
#define COREMOD_BENCH_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define BENCH_JSON_MAX_DEPTH 16

typedef struct {
    FILE* out;
    int depth;
    bool failed;                          /* nesting misuse or an I/O error */
    bool is_object[BENCH_JSON_MAX_DEPTH]; /* per level: object (true) or array */
    bool has_items[BENCH_JSON_MAX_DEPTH]; /* per level: an element was written already */
    bool multiline[BENCH_JSON_MAX_DEPTH]; /* per level: an element went on its own line */
    bool after_key;                       /* a key was written; its value comes next */
} bench_json_t;

void bench_json_init(bench_json_t* json, FILE* out);

void bench_json_begin_object(bench_json_t* json);
void bench_json_end_object(bench_json_t* json);
void bench_json_begin_array(bench_json_t* json);
void bench_json_end_array(bench_json_t* json);

/* Writes the key of the next member; the next call writes its value. */
void bench_json_key(bench_json_t* json, const char* key);

void bench_json_string(bench_json_t* json, const char* value); /* NULL writes null */
void bench_json_int(bench_json_t* json, int64_t value);
void bench_json_uint(bench_json_t* json, uint64_t value);
void bench_json_double(bench_json_t* json, double value);
void bench_json_bool(bench_json_t* json, bool value);
void bench_json_null(bench_json_t* json);

/* True when every call so far was well nested and every write succeeded, and all containers are
 * closed. */
bool bench_json_ok(const bench_json_t* json);

#endif /* COREMOD_BENCH_JSON_H */
