/*
 * json_mini.c — the tests' JSON reader and comparison (see the header).
 */
#include "json_mini.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char* p;
    const char* start;
    char* error;
    size_t error_len;
    int depth;
} parser_t;

static json_value_t* parse_value(parser_t* ps);

static void fail(parser_t* ps, const char* what)
{
    if (ps->error && ps->error_len && !ps->error[0])
        snprintf(ps->error, ps->error_len, "%s at offset %td", what, ps->p - ps->start);
}

static void skip_ws(parser_t* ps)
{
    while (isspace((unsigned char)*ps->p))
        ps->p++;
}

static json_value_t* new_value(json_type_t type)
{
    json_value_t* v = calloc(1, sizeof *v);
    if (v)
        v->type = type;
    return v;
}

static char* parse_string_raw(parser_t* ps)
{
    if (*ps->p != '"')
        return fail(ps, "expected a string"), NULL;
    ps->p++;
    size_t cap = 32, n = 0;
    char* out = malloc(cap);
    while (out && *ps->p && *ps->p != '"') {
        char c = *ps->p++;
        if (c == '\\') {
            char e = *ps->p++;
            c = e == 'n'   ? '\n'
                : e == 't' ? '\t'
                : e == 'r' ? '\r'
                : e == 'b' ? '\b'
                : e == 'f' ? '\f'
                           : e;
            if (e == 'u') { /* the writer only escapes control characters: keep it to one byte */
                unsigned code;
                if (sscanf(ps->p, "%4x", &code) != 1)
                    break;
                ps->p += 4;
                c = (char)code;
            }
        }
        if (n + 2 > cap) {
            char* grown = realloc(out, cap *= 2);
            if (!grown) {
                free(out);
                return NULL;
            }
            out = grown;
        }
        out[n++] = c;
    }
    if (!out || *ps->p != '"') {
        free(out);
        return fail(ps, "unterminated string"), NULL;
    }
    ps->p++;
    out[n] = '\0';
    return out;
}

static bool append(json_value_t* v, char* key, json_value_t* item)
{
    json_value_t** items = realloc(v->items, (v->count + 1) * sizeof *items);
    if (!items)
        return false;
    v->items = items;
    if (v->type == JSON_OBJECT) {
        char** keys = realloc(v->keys, (v->count + 1) * sizeof *keys);
        if (!keys)
            return false;
        v->keys = keys;
        v->keys[v->count] = key;
    }
    v->items[v->count++] = item;
    return true;
}

static json_value_t* parse_container(parser_t* ps, bool object)
{
    json_value_t* v = new_value(object ? JSON_OBJECT : JSON_ARRAY);
    if (!v)
        return NULL;
    ps->p++;
    skip_ws(ps);
    char close = object ? '}' : ']';
    if (*ps->p == close) {
        ps->p++;
        return v;
    }
    for (;;) {
        char* key = NULL;
        skip_ws(ps);
        if (object) {
            if (!(key = parse_string_raw(ps)))
                break;
            skip_ws(ps);
            if (*ps->p != ':') {
                free(key);
                fail(ps, "expected ':'");
                break;
            }
            ps->p++;
        }
        json_value_t* item = parse_value(ps);
        if (!item || !append(v, key, item)) {
            free(key);
            json_free(item);
            break;
        }
        skip_ws(ps);
        if (*ps->p == ',') {
            ps->p++;
            continue;
        }
        if (*ps->p == close) {
            ps->p++;
            return v;
        }
        fail(ps, "expected ',' or a closing bracket");
        break;
    }
    json_free(v);
    return NULL;
}

static json_value_t* parse_value(parser_t* ps)
{
    skip_ws(ps);
    if (++ps->depth > 64)
        return fail(ps, "nesting too deep"), NULL;
    json_value_t* v = NULL;
    if (*ps->p == '{' || *ps->p == '[')
        v = parse_container(ps, *ps->p == '{');
    else if (*ps->p == '"') {
        char* s = parse_string_raw(ps);
        if (s && (v = new_value(JSON_STRING)))
            v->string = s;
        else
            free(s);
    } else if (strncmp(ps->p, "true", 4) == 0 || strncmp(ps->p, "false", 5) == 0) {
        if ((v = new_value(JSON_BOOL)))
            v->boolean = *ps->p == 't';
        ps->p += *ps->p == 't' ? 4 : 5;
    } else if (strncmp(ps->p, "null", 4) == 0) {
        v = new_value(JSON_NULL);
        ps->p += 4;
    } else if (*ps->p == '-' || isdigit((unsigned char)*ps->p)) {
        char* end;
        double d = strtod(ps->p, &end);
        if ((v = new_value(JSON_NUMBER)))
            v->number = d;
        ps->p = end;
    } else {
        fail(ps, "unexpected character");
    }
    ps->depth--;
    return v;
}

json_value_t* json_parse(const char* text, char* error, size_t error_len)
{
    if (error && error_len)
        error[0] = '\0';
    parser_t ps = {text, text, error, error_len, 0};
    json_value_t* v = parse_value(&ps);
    skip_ws(&ps);
    if (v && *ps.p) {
        fail(&ps, "trailing characters");
        json_free(v);
        return NULL;
    }
    return v;
}

void json_free(json_value_t* v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->count; i++) {
        if (v->keys)
            free(v->keys[i]);
        json_free(v->items[i]);
    }
    free(v->keys);
    free(v->items);
    free(v->string);
    free(v);
}

const json_value_t* json_get(const json_value_t* o, const char* key)
{
    if (!o || o->type != JSON_OBJECT)
        return NULL;
    for (size_t i = 0; i < o->count; i++)
        if (strcmp(o->keys[i], key) == 0)
            return o->items[i];
    return NULL;
}

static bool ignored(const char* key, const char* const* ignore)
{
    for (size_t i = 0; ignore && ignore[i]; i++)
        if (strcmp(ignore[i], key) == 0)
            return true;
    return false;
}

static const char* type_name(json_type_t t)
{
    static const char* const names[] = {"null", "bool", "number", "string", "array", "object"};
    return names[t];
}

static void describe(const json_value_t* v, char* out, size_t len)
{
    switch (v->type) {
    case JSON_NULL: snprintf(out, len, "null"); break;
    case JSON_BOOL: snprintf(out, len, "%s", v->boolean ? "true" : "false"); break;
    case JSON_NUMBER: snprintf(out, len, "%.17g", v->number); break;
    case JSON_STRING: snprintf(out, len, "\"%s\"", v->string); break;
    default: snprintf(out, len, "%s of %zu", type_name(v->type), v->count); break;
    }
}

static bool equal_at(const json_value_t* e, const json_value_t* a, const char* const* ignore,
                     char* path, size_t path_len, char* diff, size_t diff_len)
{
    size_t base = strlen(path);
    char de[96], da[96];
    if (e->type != a->type) {
        describe(e, de, sizeof de);
        describe(a, da, sizeof da);
        snprintf(diff, diff_len, "%s: expected %s, got %s", base ? path : "(root)", de, da);
        return false;
    }
    switch (e->type) {
    case JSON_NULL: return true;
    case JSON_BOOL:
    case JSON_NUMBER:
    case JSON_STRING:
        if ((e->type == JSON_BOOL && e->boolean == a->boolean) ||
            (e->type == JSON_NUMBER && e->number == a->number) ||
            (e->type == JSON_STRING && strcmp(e->string, a->string) == 0))
            return true;
        describe(e, de, sizeof de);
        describe(a, da, sizeof da);
        snprintf(diff, diff_len, "%s: expected %s, got %s", path, de, da);
        return false;
    case JSON_ARRAY:
        if (e->count != a->count) {
            snprintf(diff, diff_len, "%s: expected %zu elements, got %zu", path, e->count,
                     a->count);
            return false;
        }
        for (size_t i = 0; i < e->count; i++) {
            snprintf(path + base, path_len - base, "[%zu]", i);
            if (!equal_at(e->items[i], a->items[i], ignore, path, path_len, diff, diff_len))
                return false;
        }
        break;
    case JSON_OBJECT:
        for (size_t i = 0; i < e->count; i++) {
            if (ignored(e->keys[i], ignore))
                continue;
            snprintf(path + base, path_len - base, ".%s", e->keys[i]);
            const json_value_t* other = json_get(a, e->keys[i]);
            if (!other) {
                snprintf(diff, diff_len, "%s: missing", path);
                return false;
            }
            if (!equal_at(e->items[i], other, ignore, path, path_len, diff, diff_len))
                return false;
        }
        for (size_t i = 0; i < a->count; i++) {
            if (ignored(a->keys[i], ignore) || json_get(e, a->keys[i]))
                continue;
            snprintf(path + base, path_len - base, ".%s", a->keys[i]);
            snprintf(diff, diff_len, "%s: not in the expected document", path);
            return false;
        }
        break;
    }
    path[base] = '\0';
    return true;
}

bool json_equal(const json_value_t* expected, const json_value_t* actual, const char* const* ignore,
                char* diff, size_t diff_len)
{
    char path[512] = "";
    if (diff_len)
        diff[0] = '\0';
    return equal_at(expected, actual, ignore, path, sizeof path, diff, diff_len);
}
