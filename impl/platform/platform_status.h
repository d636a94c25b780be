/*
 * platform_status.h — error codes of the platform detection layer.
 *
 * Every builder and parser returns one of these codes; the thread that saw the failure can read
 * a one-line explanation (which file, which key, which value) with platform_last_error(), so
 * that `coremod-topology` and the APIs can say *what* was wrong with a recorded machine.
 *
 * The one idiom of impl/platform (as in impl/core, no goto): a failure is recorded where it is
 * found, `return platform_fail(code, "...")`, and passed up unchanged by every caller, so the
 * message names the innermost cause. A function that owns nothing returns early,
 * `if ((st = step()) != PLATFORM_OK) return st;`. A function that owns something (a cpuset, a
 * builder, a buffer) runs its steps while `st == PLATFORM_OK` and releases it in one place before
 * its single `return st;`. A failure is never returned without platform_fail() having set its
 * explanation.
 */
#ifndef COREMOD_PLATFORM_STATUS_H
#define COREMOD_PLATFORM_STATUS_H

typedef enum {
    PLATFORM_OK = 0,
    PLATFORM_ERR_INVALID_ARGUMENT = 1, /* NULL pointer, empty path, conflicting overrides */
    PLATFORM_ERR_NO_MEMORY = 2,
    PLATFORM_ERR_SOURCE_UNREADABLE = 3, /* the root / file / sysctl interface cannot be read */
    PLATFORM_ERR_SOURCE_MALFORMED = 4,  /* it can be read but says something impossible */
    PLATFORM_ERR_UNSUPPORTED = 5        /* e.g. live macOS detection on a non-Apple build */
} platform_status_t;

/* Stable name of a code ("PLATFORM_ERR_NO_MEMORY"); "PLATFORM_ERR_UNKNOWN" for other values. */
const char* platform_status_name(platform_status_t status);

/* The calling thread's explanation of its last failure ("" if none). Valid until the thread's
 * next failing call into this layer. */
const char* platform_last_error(void);

/* Records `status` with a printf-style explanation for the calling thread; returns `status` so
 * that a failure is reported and returned in one statement. */
platform_status_t platform_fail(platform_status_t status, const char* fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif /* COREMOD_PLATFORM_STATUS_H */
