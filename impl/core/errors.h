/*
 * errors.h — the per-thread last error and the process-wide error callback (SPEC 7).
 *
 * Rule kept by every public function: it ends in exactly one of error_succeed() or one report of
 * a failure (error_fail / failure_report), so that the callback runs exactly once per failing call
 * (SPEC 7.3). Internal helpers never report; they describe a failure in a coremod_failure_t, which
 * the public function reports after releasing its locks, so a callback that calls back into the
 * API cannot deadlock on a lock its caller holds.
 */
#ifndef COREMOD_ERRORS_H
#define COREMOD_ERRORS_H

#include "public_api.h"

/* Long enough for a maximal path plus the loader's own message (which may repeat the path). */
#define COREMOD_MESSAGE_MAX (2 * COREMOD_PATH_MAX + 512)

typedef struct {
    module_error_t code; /* MODULE_SUCCESS: nothing recorded yet */
    char message[COREMOD_MESSAGE_MAX];
} coremod_failure_t;

/* Records a failure (code + formatted message) without reporting it. */
void failure_set(coremod_failure_t* failure, module_error_t code, const char* fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reports a recorded failure: sets the thread's last error and calls the callback once. */
void failure_report(const coremod_failure_t* failure);

/* Formats and reports a failure at once (for failures found before any lock is taken). */
void error_fail(module_error_t code, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

/* A successful call resets the thread's last error (SPEC 7.1). */
void error_succeed(void);

#endif /* COREMOD_ERRORS_H */
