/*
 * platform_status.c — error codes and the per-thread failure explanation.
 */
#include "platform_status.h"

#include <stdarg.h>
#include <stdio.h>

/* Per thread: detection may run concurrently for different replay sources. */
static _Thread_local char last_error[512];

const char* platform_status_name(platform_status_t status)
{
    switch (status) {
    case PLATFORM_OK: return "PLATFORM_OK";
    case PLATFORM_ERR_INVALID_ARGUMENT: return "PLATFORM_ERR_INVALID_ARGUMENT";
    case PLATFORM_ERR_NO_MEMORY: return "PLATFORM_ERR_NO_MEMORY";
    case PLATFORM_ERR_SOURCE_UNREADABLE: return "PLATFORM_ERR_SOURCE_UNREADABLE";
    case PLATFORM_ERR_SOURCE_MALFORMED: return "PLATFORM_ERR_SOURCE_MALFORMED";
    case PLATFORM_ERR_UNSUPPORTED: return "PLATFORM_ERR_UNSUPPORTED";
    }
    return "PLATFORM_ERR_UNKNOWN";
}

const char* platform_last_error(void)
{
    return last_error;
}

platform_status_t platform_fail(platform_status_t status, const char* fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return status;
}
