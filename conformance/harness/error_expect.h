/*
 * error_expect.h — checks of how a call just made ended (SPEC 7.1, 7.3; 7.5, 7.7, 7.4).
 *
 * "Fails with E" (SPEC, Words) means: failure value, last error E and E reported to the error
 * callback. The failure value is checked by the case; these check the rest.
 *
 * Two levels (SPEC.md, "Whose rule"). The document says only that the last error read next is the
 * failing call's code (7.1) and that a failing call passes its code and a message to the callback
 * (7.3): expect_last_error with an error code and expect_failed check that much and may be used by
 * any case. What a success does to the last error (7.5), how often, where and with what message
 * the callback is called (7.7) and what messages say (7.4) are coremod's: expect_success,
 * expect_failure under capture, expect_last_error(MODULE_SUCCESS) and the expect_message_* checks
 * fail the case as a harness error when the current case cites a document-level clause.
 */
#ifndef CONFORMANCE_ERROR_EXPECT_H
#define CONFORMANCE_ERROR_EXPECT_H

#include "module_interface.h"

/* The calling thread's last error is `expected`; `what` names the call for the message. With
 * MODULE_SUCCESS this is SPEC 7.5's rule (coremod). */
void expect_last_error(module_error_t expected, const char* what);

/* Document level (SPEC 7.1, 7.3): the last error is `expected` and, when capture is active, the
 * callback was called at least once since the previous capture_take with `expected` first. */
void expect_failed(module_error_t expected, const char* what);

/* Coremod level when capture is active (SPEC 7.7): the call failed with `expected` and the
 * callback was called exactly once, on this thread, with `expected` and a non-empty message.
 * Returns the callback's message (released at the end of the case), or NULL when capture is not
 * active (then it checks only the last error, as expect_last_error). */
const char* expect_failure(module_error_t expected, const char* what);

/* Coremod (SPEC 7.5, 7.7): the call succeeded: last error MODULE_SUCCESS and no callback. */
void expect_success(const char* what);

/* Coremod (SPEC 7.4): fails the case unless `message` contains `needle` (plain substring). */
void expect_message_contains(const char* message, const char* needle, const char* what);

/* Coremod (SPEC 7.4): fails the case unless `message` names `path`: the path as given or as
 * resolved (realpath), since an implementation may report either. Returns the name found. */
const char* expect_message_names_path(const char* message, const char* path, const char* what);

/* Coremod (SPEC 7.7, "the validator's or the loader's reason"): fails the case unless `message`,
 * which names the path `named` (as expect_message_names_path returned it), also gives a reason:
 * at least a few words besides the path and the function's name. */
void expect_message_gives_reason(const char* message, const char* named, const char* what);

#endif /* CONFORMANCE_ERROR_EXPECT_H */
