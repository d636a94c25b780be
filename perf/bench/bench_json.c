/* bench_json.c — see bench_json.h. */
#include "bench_json.h"

#include <inttypes.h>
#include <math.h>

void bench_json_init(bench_json_t* json, FILE* out)
{
    *json = (bench_json_t){.out = out, .depth = 0, .failed = (out == NULL)};
}

static void put(bench_json_t* json, const char* text)
{
    if (fputs(text, json->out) == EOF) {
        json->failed = true;
    }
}

static void newline_indent(bench_json_t* json, int depth)
{
    put(json, "\n");
    for (int i = 0; i < depth; i++) {
        put(json, "  ");
    }
}

/* Everything that must precede a value (or a key) at the current level: the separating comma and,
 * for keys and contained containers, a new line. */
static void before_element(bench_json_t* json, bool own_line)
{
    if (json->depth == 0) {
        return;
    }
    int level = json->depth - 1;
    if (json->has_items[level]) {
        put(json, own_line ? "," : ", ");
    }
    if (own_line) {
        newline_indent(json, json->depth);
        json->multiline[level] = true;
    }
    json->has_items[level] = true;
}

/* Prepares the writer for a value; returns false (and marks the writer failed) on misuse. */
static bool begin_value(bench_json_t* json, bool is_container)
{
    if (json->failed) {
        return false;
    }
    if (json->depth > 0 && json->is_object[json->depth - 1]) {
        if (!json->after_key) {
            json->failed = true; /* a value inside an object needs a key first */
            return false;
        }
        json->after_key = false;
        return true;
    }
    before_element(json, is_container);
    return true;
}

static void open_container(bench_json_t* json, bool is_object)
{
    if (!begin_value(json, true)) {
        return;
    }
    if (json->depth == BENCH_JSON_MAX_DEPTH) {
        json->failed = true;
        return;
    }
    json->is_object[json->depth] = is_object;
    json->has_items[json->depth] = false;
    json->multiline[json->depth] = false;
    json->depth++;
    put(json, is_object ? "{" : "[");
}

static void close_container(bench_json_t* json, bool is_object)
{
    if (json->failed) {
        return;
    }
    if (json->depth == 0 || json->is_object[json->depth - 1] != is_object || json->after_key) {
        json->failed = true;
        return;
    }
    json->depth--;
    if (json->multiline[json->depth]) {
        newline_indent(json, json->depth);
    }
    put(json, is_object ? "}" : "]");
    if (json->depth == 0) {
        put(json, "\n");
    }
}

void bench_json_begin_object(bench_json_t* json)
{
    open_container(json, true);
}

void bench_json_end_object(bench_json_t* json)
{
    close_container(json, true);
}

void bench_json_begin_array(bench_json_t* json)
{
    open_container(json, false);
}

void bench_json_end_array(bench_json_t* json)
{
    close_container(json, false);
}

static void put_escaped(bench_json_t* json, const char* text)
{
    put(json, "\"");
    for (const unsigned char* c = (const unsigned char*)text; *c != '\0'; c++) {
        char buffer[8];
        switch (*c) {
        case '"': put(json, "\\\""); break;
        case '\\': put(json, "\\\\"); break;
        case '\n': put(json, "\\n"); break;
        case '\r': put(json, "\\r"); break;
        case '\t': put(json, "\\t"); break;
        default:
            if (*c < 0x20) {
                snprintf(buffer, sizeof(buffer), "\\u%04x", *c);
            } else {
                buffer[0] = (char)*c;
                buffer[1] = '\0';
            }
            put(json, buffer);
        }
    }
    put(json, "\"");
}

void bench_json_key(bench_json_t* json, const char* key)
{
    if (json->failed) {
        return;
    }
    if (key == NULL || json->depth == 0 || !json->is_object[json->depth - 1] || json->after_key) {
        json->failed = true;
        return;
    }
    before_element(json, true);
    put_escaped(json, key);
    put(json, ": ");
    json->after_key = true;
}

void bench_json_string(bench_json_t* json, const char* value)
{
    if (value == NULL) {
        bench_json_null(json);
        return;
    }
    if (begin_value(json, false)) {
        put_escaped(json, value);
    }
}

void bench_json_int(bench_json_t* json, int64_t value)
{
    char buffer[32];
    snprintf(buffer, sizeof(buffer), "%" PRId64, value);
    if (begin_value(json, false)) {
        put(json, buffer);
    }
}

void bench_json_uint(bench_json_t* json, uint64_t value)
{
    char buffer[32];
    snprintf(buffer, sizeof(buffer), "%" PRIu64, value);
    if (begin_value(json, false)) {
        put(json, buffer);
    }
}

void bench_json_double(bench_json_t* json, double value)
{
    if (!isfinite(value)) {
        bench_json_null(json);
        return;
    }
    /* 15 significant digits round-trip every value the benchmarks produce (nanosecond counts
     * divided by small batches) without printing binary noise such as 23.450000000000003. */
    char buffer[40];
    snprintf(buffer, sizeof(buffer), "%.15g", value);
    if (begin_value(json, false)) {
        put(json, buffer);
    }
}

void bench_json_bool(bench_json_t* json, bool value)
{
    if (begin_value(json, false)) {
        put(json, value ? "true" : "false");
    }
}

void bench_json_null(bench_json_t* json)
{
    if (begin_value(json, false)) {
        put(json, "null");
    }
}

bool bench_json_ok(const bench_json_t* json)
{
    return !json->failed && json->depth == 0 && !json->after_key && !ferror(json->out);
}
