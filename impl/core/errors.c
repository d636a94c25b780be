/*
 * errors.c — module_get_last_error, module_get_error_string, module_set_error_callback and the
 * internal reporting used by every other public function (SPEC 7).
 */
#include "errors.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

/* Per thread, so that a failure on one thread never changes what another sees (SPEC 7.1).
 * Zero-initialised: a thread that has made no call sees MODULE_SUCCESS. */
static _Thread_local module_error_t thread_last_error = MODULE_SUCCESS;

/* One process-wide callback (SPEC 7.3). Atomic because any thread may replace it while others
 * are failing; a failing thread calls whichever callback it loaded. */
static _Atomic(module_error_callback_t) error_callback = NULL;

/* Static, distinct strings: the same value always gives the same pointer (SPEC 7.2). */
static const char* const error_strings[] = {
    [MODULE_SUCCESS] = "success",
    [MODULE_ERROR_INVALID_PARAMETER] = "invalid parameter",
    [MODULE_ERROR_OUT_OF_MEMORY] = "out of memory",
    [MODULE_ERROR_FILE_NOT_FOUND] = "file not found",
    [MODULE_ERROR_INVALID_MODULE] = "invalid module",
    [MODULE_ERROR_SYMBOL_NOT_FOUND] = "symbol not found",
    [MODULE_ERROR_SECURITY_VIOLATION] = "security violation",
    [MODULE_ERROR_RESOURCE_EXHAUSTED] = "resource exhausted",
    [MODULE_ERROR_SYSTEM_ERROR] = "system error",
};
static const char unknown_error_string[] = "unknown error";

static void format_message(char* out, size_t out_size, const char* fmt, va_list args)
{
    int written = vsnprintf(out, out_size, fmt, args);
    if (written < 0 || out[0] == '\0') {
        /* The callback's message must never be empty (SPEC 7.3). */
        snprintf(out, out_size, "%s", "unspecified failure");
    }
}

static void report(module_error_t code, const char* message)
{
    thread_last_error = code;
    module_error_callback_t callback = atomic_load_explicit(&error_callback, memory_order_acquire);
    if (callback != NULL) {
        callback(code, message);
    }
}

void failure_set(coremod_failure_t* failure, module_error_t code, const char* fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    failure->code = code;
    format_message(failure->message, sizeof(failure->message), fmt, args);
    va_end(args);
}

void failure_report(const coremod_failure_t* failure)
{
    report(failure->code, failure->message);
}

void error_fail(module_error_t code, const char* fmt, ...)
{
    /* Formatting costs a microsecond; skip it when nobody will read the message. */
    if (atomic_load_explicit(&error_callback, memory_order_acquire) == NULL) {
        thread_last_error = code;
        return;
    }
    char message[COREMOD_MESSAGE_MAX];
    va_list args;
    va_start(args, fmt);
    format_message(message, sizeof(message), fmt, args);
    va_end(args);
    report(code, message);
}

void error_succeed(void)
{
    thread_last_error = MODULE_SUCCESS;
}

COREMOD_PUBLIC module_error_t module_get_last_error(void)
{
    return thread_last_error;
}

COREMOD_PUBLIC const char* module_get_error_string(module_error_t error)
{
    /* Compare as unsigned: a negative value cast to the enum is out of range too. */
    unsigned int index = (unsigned int)error;
    if (index < sizeof(error_strings) / sizeof(error_strings[0])) {
        return error_strings[index];
    }
    return unknown_error_string;
}

COREMOD_PUBLIC void module_set_error_callback(module_error_callback_t callback)
{
    atomic_store_explicit(&error_callback, callback, memory_order_release);
}
