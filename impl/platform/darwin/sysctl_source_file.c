/*
 * sysctl_source_file.c — sysctl values from `name: value` lines (a recorded `sysctl -a`).
 *
 * A line is a key line when the text before the first ':' is a sysctl name (letters, digits,
 * '_', '.', '-'); anything else (continuation lines of multi-line values) is skipped. The first
 * occurrence of a name wins: dumps sometimes repeat a key with the same value.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysctl_source.h"

#define SYSCTL_FILE_LIMIT (4u << 20)

typedef struct {
    char* text; /* the parsed copy: names and values are NUL-terminated inside it */
    char** names;
    char** values;
    size_t count;
} sysctl_file_t;

static const char* lookup(const sysctl_file_t* f, const char* name)
{
    for (size_t i = 0; i < f->count; i++)
        if (strcmp(f->names[i], name) == 0)
            return f->values[i];
    return NULL;
}

static platform_status_t file_get_int(const sysctl_source_t* self, const char* name, bool* found,
                                      int64_t* value)
{
    const char* text = lookup(self->state, name);
    *found = text != NULL;
    if (!text)
        return PLATFORM_OK;
    errno = 0;
    char* end;
    long long v = strtoll(text, &end, 10);
    if (errno || end == text || *end != '\0')
        return platform_fail(PLATFORM_ERR_SOURCE_MALFORMED,
                             "sysctl %s: \"%.40s\" is not an integer", name, text);
    *value = v;
    return PLATFORM_OK;
}

static platform_status_t file_get_string(const sysctl_source_t* self, const char* name, bool* found,
                                         char* buf, size_t len)
{
    const char* text = lookup(self->state, name);
    *found = text != NULL;
    if (!text)
        return PLATFORM_OK;
    size_t n = strlen(text);
    if (n >= len)
        return platform_fail(PLATFORM_ERR_SOURCE_MALFORMED,
                             "sysctl %s: value longer than %zu bytes", name, len - 1);
    memcpy(buf, text, n + 1);
    return PLATFORM_OK;
}

static void file_close(sysctl_source_t* self)
{
    sysctl_file_t* f = self->state;
    if (f) {
        free(f->names);
        free(f->values);
        free(f->text);
        free(f);
    }
    self->state = NULL;
}

static bool is_name(const char* s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '.' && s[i] != '-')
            return false;
    return true;
}

/* Takes ownership of `text`. */
static platform_status_t parse_owned(char* text, sysctl_source_t* source)
{
    sysctl_file_t* f = calloc(1, sizeof *f);
    size_t lines = 1;
    for (const char* p = text; *p; p++)
        lines += *p == '\n';
    if (f) {
        f->text = text;
        f->names = malloc(lines * sizeof *f->names);
        f->values = malloc(lines * sizeof *f->values);
    }
    if (!f || !f->names || !f->values) {
        if (f) {
            free(f->names);
            free(f->values);
            free(f);
        }
        free(text);
        return platform_fail(PLATFORM_ERR_NO_MEMORY, "out of memory reading a sysctl dump");
    }
    for (char* line = text; line && *line;) {
        char* eol = strchr(line, '\n');
        if (eol)
            *eol = '\0';
        size_t len = strlen(line);
        if (len && line[len - 1] == '\r')
            line[--len] = '\0';
        char* colon = strchr(line, ':');
        if (colon && is_name(line, (size_t)(colon - line))) {
            *colon = '\0';
            char* value = colon + 1;
            while (*value == ' ' || *value == '\t')
                value++;
            for (size_t n = strlen(value); n && isspace((unsigned char)value[n - 1]);)
                value[--n] = '\0';
            if (!lookup(f, line)) {
                f->names[f->count] = line;
                f->values[f->count] = value;
                f->count++;
            }
        }
        line = eol ? eol + 1 : NULL;
    }
    source->get_int = file_get_int;
    source->get_string = file_get_string;
    source->close = file_close;
    source->state = f;
    return PLATFORM_OK;
}

platform_status_t sysctl_source_open_text(const char* text, sysctl_source_t* source)
{
    if (!text || !source)
        return platform_fail(PLATFORM_ERR_INVALID_ARGUMENT,
                             "sysctl_source_open_text: NULL argument");
    char* copy = strdup(text);
    if (!copy)
        return platform_fail(PLATFORM_ERR_NO_MEMORY, "out of memory reading a sysctl dump");
    return parse_owned(copy, source);
}

platform_status_t sysctl_source_open_file(const char* path, sysctl_source_t* source)
{
    if (!path || !source)
        return platform_fail(PLATFORM_ERR_INVALID_ARGUMENT,
                             "sysctl_source_open_file: NULL argument");
    if (!*path)
        return platform_fail(PLATFORM_ERR_INVALID_ARGUMENT, "empty sysctl file name");
    FILE* fp = fopen(path, "re");
    if (!fp)
        return platform_fail(PLATFORM_ERR_SOURCE_UNREADABLE, "cannot read sysctl file %s: %s", path,
                             strerror(errno));
    char* text = malloc(SYSCTL_FILE_LIMIT + 1);
    if (!text) {
        fclose(fp);
        return platform_fail(PLATFORM_ERR_NO_MEMORY, "out of memory reading %s", path);
    }
    size_t n = fread(text, 1, SYSCTL_FILE_LIMIT + 1, fp);
    bool failed = ferror(fp);
    fclose(fp);
    if (failed || n > SYSCTL_FILE_LIMIT) {
        free(text);
        return failed ? platform_fail(PLATFORM_ERR_SOURCE_UNREADABLE, "cannot read sysctl file %s",
                                      path)
                      : platform_fail(PLATFORM_ERR_SOURCE_MALFORMED,
                                      "sysctl file %s is larger than %u bytes", path,
                                      SYSCTL_FILE_LIMIT);
    }
    text[n] = '\0';
    if (strlen(text) != n) {
        free(text);
        return platform_fail(PLATFORM_ERR_SOURCE_MALFORMED, "sysctl file %s is not text", path);
    }
    char* shrunk = realloc(text, n + 1);
    return parse_owned(shrunk ? shrunk : text, source);
}
