/* result_json.c — see result_json.h. */
#include "result_json.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char* data;
    size_t length;
    size_t capacity;
    bool failed;
} json_buffer_t;

static void append(json_buffer_t* buffer, const char* text, size_t length)
{
    if (buffer->failed) {
        return;
    }
    if (buffer->length + length + 1 > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity : 256;
        while (buffer->length + length + 1 > capacity) {
            capacity *= 2;
        }
        char* grown = realloc(buffer->data, capacity);
        if (grown == NULL) {
            buffer->failed = true;
            return;
        }
        buffer->data = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->length, text, length);
    buffer->length += length;
    buffer->data[buffer->length] = '\0';
}

static void append_text(json_buffer_t* buffer, const char* text)
{
    append(buffer, text, strlen(text));
}

/* Length of the valid UTF-8 sequence starting at `s` (1-4), or 0 if it is not one (overlong
 * forms, surrogates and code points above U+10FFFF are invalid, RFC 3629). */
static size_t utf8_sequence_length(const unsigned char* s)
{
    if (s[0] < 0x80) {
        return 1;
    }
    size_t length;
    unsigned min;
    unsigned code;
    if ((s[0] & 0xE0) == 0xC0) {
        length = 2, min = 0x80, code = s[0] & 0x1F;
    } else if ((s[0] & 0xF0) == 0xE0) {
        length = 3, min = 0x800, code = s[0] & 0x0F;
    } else if ((s[0] & 0xF8) == 0xF0) {
        length = 4, min = 0x10000, code = s[0] & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < length; i++) {
        if ((s[i] & 0xC0) != 0x80) { /* also stops at the terminating NUL */
            return 0;
        }
        code = (code << 6) | (s[i] & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
        return 0;
    }
    return length;
}

static void append_string(json_buffer_t* buffer, const char* text)
{
    append_text(buffer, "\"");
    const unsigned char* s = (const unsigned char*)(text ? text : "");
    while (*s != '\0') {
        char escaped[8];
        switch (*s) {
        case '"':
            append_text(buffer, "\\\"");
            s++;
            continue;
        case '\\':
            append_text(buffer, "\\\\");
            s++;
            continue;
        case '\b':
            append_text(buffer, "\\b");
            s++;
            continue;
        case '\f':
            append_text(buffer, "\\f");
            s++;
            continue;
        case '\n':
            append_text(buffer, "\\n");
            s++;
            continue;
        case '\r':
            append_text(buffer, "\\r");
            s++;
            continue;
        case '\t':
            append_text(buffer, "\\t");
            s++;
            continue;
        default: break;
        }
        if (*s < 0x20) {
            snprintf(escaped, sizeof(escaped), "\\u%04x", *s);
            append_text(buffer, escaped);
            s++;
            continue;
        }
        size_t length = utf8_sequence_length(s);
        if (length == 0) {
            append_text(buffer, "\\ufffd");
            s++;
            continue;
        }
        append(buffer, (const char*)s, length);
        s += length;
    }
    append_text(buffer, "\"");
}

static void append_field(json_buffer_t* buffer, const char* key, const char* value, bool first)
{
    if (!first) {
        append_text(buffer, ", ");
    }
    append_string(buffer, key);
    append_text(buffer, ": ");
    append_string(buffer, value);
}

char* case_record_json(const case_record_t* record)
{
    json_buffer_t buffer = {0};
    append_text(&buffer, "{");
    append_field(&buffer, "schema", CASE_RESULT_SCHEMA, true);
    append_field(&buffer, "id", record->id, false);
    append_field(&buffer, "suite", record->suite, false);
    append_field(&buffer, "clause", record->clause, false);
    append_field(&buffer, "title", record->title, false);
    append_field(&buffer, "status", record->status, false);
    append_field(&buffer, "message", record->message, false);
    char elapsed[64];
    /* Criterion measures in float seconds; a negative or NaN value would not be valid JSON. */
    double seconds = record->elapsed_s >= 0 ? record->elapsed_s : 0;
    snprintf(elapsed, sizeof(elapsed), ", \"elapsed_s\": %.6f}\n", seconds);
    append_text(&buffer, elapsed);
    if (buffer.failed) {
        free(buffer.data);
        return NULL;
    }
    return buffer.data;
}
