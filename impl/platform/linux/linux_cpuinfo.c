/*
 * linux_cpuinfo.c — /proc/cpuinfo parsing (see the header).
 */
#include "linux_cpuinfo.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vendor/arm_midr.h"

void linux_cpuinfo_free(linux_cpuinfo_t* info)
{
    if (!info)
        return;
    free(info->cpus);
    memset(info, 0, sizeof *info);
}

static void copy_field(char* dst, size_t len, const char* value)
{
    if (dst[0])
        return; /* first occurrence wins: every block repeats the same value */
    size_t n = strlen(value);
    if (n >= len)
        n = len - 1;
    memcpy(dst, value, n);
    dst[n] = '\0';
}

static bool has_token(const char* list, const char* token)
{
    size_t tn = strlen(token);
    for (const char* p = list; *p;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        const char* start = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        if ((size_t)(p - start) == tn && strncmp(start, token, tn) == 0)
            return true;
    }
    return false;
}

static bool parse_number(const char* value, uint32_t* out)
{
    char* end;
    errno = 0;
    unsigned long v = strtoul(value, &end, 0);
    if (errno || end == value || *end != '\0' || v > UINT32_MAX)
        return false;
    *out = (uint32_t)v;
    return true;
}

/* Applies one "key : value" line; `current` is the open processor block or NULL. */
static platform_status_t apply_line(linux_cpuinfo_t* out, linux_cpuinfo_cpu_t* current,
                                    const char* key, const char* value)
{
    linux_cpuinfo_cpu_t* target = current ? current : &out->shared;
    uint32_t number;
    if (strcmp(key, "vendor_id") == 0)
        copy_field(out->vendor_id, sizeof out->vendor_id, value);
    else if (strcmp(key, "model name") == 0)
        copy_field(out->model_name, sizeof out->model_name, value);
    else if (strcmp(key, "Processor") == 0)
        copy_field(out->processor_name, sizeof out->processor_name, value);
    else if (strcmp(key, "Features") == 0) {
        out->features_lines++;
        out->atomics_lines += has_token(value, "atomics");
    } else if (strncmp(key, "CPU ", 4) == 0) {
        uint32_t* field = strcmp(key, "CPU implementer") == 0 ? &target->implementer
                          : strcmp(key, "CPU variant") == 0   ? &target->variant
                          : strcmp(key, "CPU part") == 0      ? &target->part
                          : strcmp(key, "CPU revision") == 0  ? &target->revision
                                                              : NULL;
        if (!field)
            return PLATFORM_OK;
        if (!parse_number(value, &number))
            return platform_fail(PLATFORM_ERR_SOURCE_MALFORMED,
                                 "/proc/cpuinfo: %s \"%.32s\" is not a number", key, value);
        *field = number;
        if (field == &target->implementer || field == &target->part)
            target->has_midr = true;
    }
    return PLATFORM_OK;
}

platform_status_t linux_cpuinfo_parse(const char* text, linux_cpuinfo_t* out)
{
    memset(out, 0, sizeof *out);
    uint32_t cap = 0;
    int64_t current = -1; /* index of the open processor block */
    platform_status_t st = PLATFORM_OK;
    const char* line = text;
    while (st == PLATFORM_OK && *line) {
        const char* eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        char buf[4096];
        if (len >= sizeof buf)
            len = sizeof buf - 1; /* only flag lists get this long; tokens we need come first */
        memcpy(buf, line, len);
        buf[len] = '\0';
        line = eol ? eol + 1 : line + strlen(line);

        char* colon = strchr(buf, ':');
        if (!colon) {
            bool blank = true;
            for (char* p = buf; *p; p++)
                blank &= isspace((unsigned char)*p) != 0;
            if (blank)
                current = -1; /* a blank line closes the processor block */
            continue;
        }
        char* key_end = colon;
        while (key_end > buf && isspace((unsigned char)key_end[-1]))
            key_end--;
        *key_end = '\0';
        char* value = colon + 1;
        while (isspace((unsigned char)*value))
            value++;
        for (size_t n = strlen(value); n && isspace((unsigned char)value[n - 1]);)
            value[--n] = '\0';

        if (strcmp(buf, "processor") == 0) {
            uint32_t number;
            if (!parse_number(value, &number)) {
                st = platform_fail(PLATFORM_ERR_SOURCE_MALFORMED,
                                   "/proc/cpuinfo: processor \"%.32s\"", value);
                break;
            }
            if (out->n_cpus == cap) {
                uint32_t new_cap = cap ? cap * 2 : 16;
                linux_cpuinfo_cpu_t* grown = realloc(out->cpus, new_cap * sizeof *grown);
                if (!grown) {
                    st = platform_fail(PLATFORM_ERR_NO_MEMORY,
                                       "out of memory parsing /proc/cpuinfo");
                    break;
                }
                out->cpus = grown;
                cap = new_cap;
            }
            current = out->n_cpus++;
            memset(&out->cpus[current], 0, sizeof out->cpus[current]);
            out->cpus[current].processor = number;
            continue;
        }
        st = apply_line(out, current >= 0 ? &out->cpus[current] : NULL, buf, value);
    }
    if (st != PLATFORM_OK)
        linux_cpuinfo_free(out);
    return st;
}

platform_status_t linux_cpuinfo_read(const linux_root_t* root, linux_cpuinfo_t* out)
{
    memset(out, 0, sizeof *out);
    char* text;
    platform_status_t st = linux_read_all(root, "/proc/cpuinfo", &text);
    if (st != PLATFORM_OK || !text)
        return st;
    st = linux_cpuinfo_parse(text, out);
    free(text);
    return st;
}

bool linux_cpuinfo_midr(const linux_cpuinfo_t* info, uint32_t cpu, uint32_t* midr)
{
    const linux_cpuinfo_cpu_t* src = NULL;
    for (uint32_t i = 0; i < info->n_cpus && !src; i++)
        if (info->cpus[i].processor == cpu && info->cpus[i].has_midr)
            src = &info->cpus[i];
    if (!src && info->shared.has_midr)
        src = &info->shared;
    if (!src)
        return false;
    *midr = midr_compose(src->implementer, src->variant, src->part, src->revision);
    return true;
}
