/*
 * sysctl_source_live.c — sysctl values from the running macOS kernel (sysctlbyname).
 */
#include "sysctl_source.h"

#include <string.h>

#ifdef __APPLE__

#include <errno.h>
#include <sys/sysctl.h>
#include <sys/types.h>

static platform_status_t live_get_int(const sysctl_source_t* self, const char* name, bool* found,
                                      int64_t* value)
{
    (void)self;
    union {
        int32_t i32;
        int64_t i64;
    } v;
    size_t size = sizeof v;
    *found = false;
    if (sysctlbyname(name, &v, &size, NULL, 0) != 0) {
        if (errno == ENOENT)
            return PLATFORM_OK;
        return platform_fail(PLATFORM_ERR_SOURCE_UNREADABLE, "sysctlbyname(%s) failed: %s", name,
                             strerror(errno));
    }
    /* Keys are int (hw.ncpu, hw.cpufamily) or 64-bit (hw.l2cachesize): the size says which. */
    if (size == sizeof(int32_t))
        *value = v.i32;
    else if (size == sizeof(int64_t))
        *value = v.i64;
    else
        return platform_fail(PLATFORM_ERR_SOURCE_MALFORMED,
                             "sysctl %s: %zu-byte value is not an integer", name, size);
    *found = true;
    return PLATFORM_OK;
}

static platform_status_t live_get_string(const sysctl_source_t* self, const char* name, bool* found,
                                         char* buf, size_t len)
{
    (void)self;
    size_t size = len;
    *found = false;
    if (sysctlbyname(name, buf, &size, NULL, 0) != 0) {
        if (errno == ENOENT)
            return PLATFORM_OK;
        if (errno == ENOMEM)
            return platform_fail(PLATFORM_ERR_SOURCE_MALFORMED,
                                 "sysctl %s: value longer than %zu bytes", name, len - 1);
        return platform_fail(PLATFORM_ERR_SOURCE_UNREADABLE, "sysctlbyname(%s) failed: %s", name,
                             strerror(errno));
    }
    if (size == 0 || size > len)
        size = 1;
    buf[size - 1] = '\0';
    *found = true;
    return PLATFORM_OK;
}

static void live_close(sysctl_source_t* self)
{
    self->state = NULL;
}

platform_status_t sysctl_source_open_live(sysctl_source_t* source)
{
    if (!source)
        return platform_fail(PLATFORM_ERR_INVALID_ARGUMENT, "sysctl_source_open_live: NULL source");
    source->get_int = live_get_int;
    source->get_string = live_get_string;
    source->close = live_close;
    source->state = NULL;
    return PLATFORM_OK;
}

#else

platform_status_t sysctl_source_open_live(sysctl_source_t* source)
{
    if (source)
        memset(source, 0, sizeof *source);
    return platform_fail(PLATFORM_ERR_UNSUPPORTED, "live sysctl detection exists only on macOS");
}

#endif
