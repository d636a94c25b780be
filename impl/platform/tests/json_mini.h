/*
 * json_mini.h — a small JSON reader for the tests: parse a document, compare two documents field
 * by field. Objects must have the same keys (except those named in `ignore`), arrays the same
 * length, scalars the same type and value; the first difference is described with its path
 * (".kinds[1].l2_size: expected 4194304, got 0").
 */
#ifndef COREMOD_TEST_JSON_MINI_H
#define COREMOD_TEST_JSON_MINI_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    JSON_NULL,
    JSON_BOOL,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT
} json_type_t;

typedef struct json_value {
    json_type_t type;
    bool boolean;
    double number;
    char* string;              /* JSON_STRING */
    size_t count;              /* JSON_ARRAY / JSON_OBJECT */
    char** keys;               /* JSON_OBJECT */
    struct json_value** items; /* JSON_ARRAY / JSON_OBJECT values */
} json_value_t;

/* NULL on a syntax error; *error (if given) then says where. */
json_value_t* json_parse(const char* text, char* error, size_t error_len);
void json_free(json_value_t* value);
const json_value_t* json_get(const json_value_t* object, const char* key);

/* True when equal; otherwise writes the first difference into diff. `ignore` is a NULL-terminated
 * list of object keys skipped at every level (may be NULL). */
bool json_equal(const json_value_t* expected, const json_value_t* actual, const char* const* ignore,
                char* diff, size_t diff_len);

#endif /* COREMOD_TEST_JSON_MINI_H */
