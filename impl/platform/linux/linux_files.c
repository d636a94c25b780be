/*
 * linux_files.c — rooted reads of /sys and /proc (see the header).
 */
#include "linux_files.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define READ_ALL_LIMIT (16u << 20)

platform_status_t linux_root_init(linux_root_t* root, const char* dir)
{
    if (!root)
        return platform_fail(PLATFORM_ERR_INVALID_ARGUMENT, "linux_root_init: NULL root");
    root->root[0] = '\0';
    if (!dir)
        return PLATFORM_OK;
    size_t n = strlen(dir);
    if (n == 0)
        return platform_fail(PLATFORM_ERR_INVALID_ARGUMENT, "empty sysfs root");
    while (n > 1 && dir[n - 1] == '/')
        n--;
    if (n >= sizeof root->root - 256)
        return platform_fail(PLATFORM_ERR_INVALID_ARGUMENT, "sysfs root path too long (%zu bytes)",
                             n);
    struct stat st;
    if (stat(dir, &st) != 0)
        return platform_fail(PLATFORM_ERR_SOURCE_UNREADABLE, "cannot read sysfs root %s: %s", dir,
                             strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return platform_fail(PLATFORM_ERR_SOURCE_UNREADABLE, "sysfs root %s is not a directory",
                             dir);
    /* "/" as a root means the live tree's paths, which is what "" gives. */
    if (n == 1 && dir[0] == '/')
        n = 0;
    memcpy(root->root, dir, n);
    root->root[n] = '\0';
    return PLATFORM_OK;
}

static bool vpath(const linux_root_t* root, char* out, size_t len, const char* fmt, va_list ap)
{
    int r = snprintf(out, len, "%s", root->root);
    if (r < 0 || (size_t)r >= len)
        return false;
    int s = vsnprintf(out + r, len - (size_t)r, fmt, ap);
    return s >= 0 && (size_t)s < len - (size_t)r;
}

bool linux_path(const linux_root_t* root, char* out, size_t len, const char* fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bool ok = vpath(root, out, len, fmt, ap);
    va_end(ap);
    return ok;
}

static void trim_trailing(char* s)
{
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
}

static bool vread_text(const linux_root_t* root, char* buf, size_t len, const char* fmt, va_list ap)
{
    char path[LINUX_PATH_MAX];
    if (!len || !vpath(root, path, sizeof path, fmt, ap))
        return false;
    FILE* f = fopen(path, "re");
    if (!f)
        return false;
    size_t n = fread(buf, 1, len - 1, f);
    bool ok = !ferror(f);
    fclose(f);
    buf[n] = '\0';
    /* sysfs files are text; a NUL inside means a binary file, which no caller expects. */
    if (strlen(buf) != n)
        return false;
    trim_trailing(buf);
    return ok;
}

bool linux_read_text(const linux_root_t* root, char* buf, size_t len, const char* fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bool ok = vread_text(root, buf, len, fmt, ap);
    va_end(ap);
    return ok;
}

platform_status_t linux_read_all(const linux_root_t* root, const char* rel, char** text)
{
    char path[LINUX_PATH_MAX];
    *text = NULL;
    if (!linux_path(root, path, sizeof path, "%s", rel))
        return PLATFORM_OK;
    FILE* f = fopen(path, "re");
    if (!f)
        return PLATFORM_OK;
    size_t cap = 8192, n = 0;
    char* buf = malloc(cap);
    platform_status_t st = PLATFORM_OK;
    while (buf) {
        size_t got = fread(buf + n, 1, cap - 1 - n, f);
        n += got;
        if (got == 0)
            break;
        if (n == cap - 1) {
            if (cap >= READ_ALL_LIMIT) {
                st = platform_fail(PLATFORM_ERR_SOURCE_MALFORMED, "%s is larger than %u bytes",
                                   path, READ_ALL_LIMIT);
                break;
            }
            char* grown = realloc(buf, cap * 2);
            if (!grown) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf)
        return platform_fail(PLATFORM_ERR_NO_MEMORY, "out of memory reading %s", path);
    if (st != PLATFORM_OK) {
        free(buf);
        return st;
    }
    buf[n] = '\0';
    *text = buf;
    return PLATFORM_OK;
}

static platform_status_t parse_u64(const char* text, const char* what, uint64_t* value)
{
    errno = 0;
    char* end;
    const char* p = text;
    while (isspace((unsigned char)*p))
        p++;
    if (!isdigit((unsigned char)*p))
        return platform_fail(PLATFORM_ERR_SOURCE_MALFORMED, "%s: \"%.32s\" is not a number", what,
                             text);
    /* Base 10 unless "0x": a leading zero is not octal in sysfs. */
    bool hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
    unsigned long long v = strtoull(p, &end, hex ? 16 : 10);
    if (errno || *end != '\0')
        return platform_fail(PLATFORM_ERR_SOURCE_MALFORMED, "%s: \"%.32s\" is not a number", what,
                             text);
    *value = v;
    return PLATFORM_OK;
}

/* Reads the file at fmt/ap; *found false if absent. `path` receives the path for messages. */
static bool vread_value(const linux_root_t* root, char* buf, size_t len, char* path,
                        size_t path_len, const char* fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    bool have_path = vpath(root, path, path_len, fmt, copy);
    va_end(copy);
    if (!have_path)
        return false;
    return vread_text(root, buf, len, fmt, ap);
}

platform_status_t linux_read_u64(const linux_root_t* root, bool* found, uint64_t* value,
                                 const char* fmt, ...)
{
    char buf[64], path[LINUX_PATH_MAX];
    va_list ap;
    va_start(ap, fmt);
    *found = vread_value(root, buf, sizeof buf, path, sizeof path, fmt, ap);
    va_end(ap);
    if (!*found)
        return PLATFORM_OK;
    return parse_u64(buf, path, value);
}

platform_status_t linux_read_i64(const linux_root_t* root, bool* found, int64_t* value,
                                 const char* fmt, ...)
{
    char buf[64], path[LINUX_PATH_MAX];
    va_list ap;
    va_start(ap, fmt);
    *found = vread_value(root, buf, sizeof buf, path, sizeof path, fmt, ap);
    va_end(ap);
    if (!*found)
        return PLATFORM_OK;
    bool negative = buf[0] == '-';
    uint64_t magnitude;
    platform_status_t st = parse_u64(buf + negative, path, &magnitude);
    if (st != PLATFORM_OK)
        return st;
    if (magnitude > (uint64_t)INT64_MAX)
        return platform_fail(PLATFORM_ERR_SOURCE_MALFORMED, "%s: \"%s\" is out of range", path,
                             buf);
    *value = negative ? -(int64_t)magnitude : (int64_t)magnitude;
    return PLATFORM_OK;
}

platform_status_t linux_read_size(const linux_root_t* root, bool* found, uint64_t* bytes,
                                  const char* fmt, ...)
{
    char buf[64], path[LINUX_PATH_MAX];
    va_list ap;
    va_start(ap, fmt);
    *found = vread_value(root, buf, sizeof buf, path, sizeof path, fmt, ap);
    va_end(ap);
    if (!*found)
        return PLATFORM_OK;
    size_t n = strlen(buf);
    uint64_t scale = 1;
    if (n && (buf[n - 1] == 'K' || buf[n - 1] == 'M' || buf[n - 1] == 'G')) {
        scale = buf[n - 1] == 'K'   ? 1024u
                : buf[n - 1] == 'M' ? 1024u * 1024u
                                    : 1024u * 1024u * 1024u;
        buf[--n] = '\0';
    }
    uint64_t v;
    platform_status_t st = parse_u64(buf, path, &v);
    if (st != PLATFORM_OK)
        return st;
    if (v > UINT64_MAX / scale)
        return platform_fail(PLATFORM_ERR_SOURCE_MALFORMED, "%s: size out of range", path);
    *bytes = v * scale;
    return PLATFORM_OK;
}

platform_status_t linux_read_cpulist(const linux_root_t* root, bool* found, platform_cpuset_t* out,
                                     const char* fmt, ...)
{
    char rel[LINUX_PATH_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(rel, sizeof rel, fmt, ap);
    va_end(ap);
    *found = false;
    if (n < 0 || (size_t)n >= sizeof rel)
        return PLATFORM_OK;
    char* text;
    platform_status_t st = linux_read_all(root, rel, &text);
    if (st != PLATFORM_OK || !text)
        return st;
    *found = true;
    st = cpuset_parse_list(text, out);
    free(text);
    if (st != PLATFORM_OK) {
        char reason[256];
        snprintf(reason, sizeof reason, "%s", platform_last_error());
        return platform_fail(st, "%s%s: %s", root->root, rel, reason);
    }
    return PLATFORM_OK;
}
