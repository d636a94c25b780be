/*
 * error_expect.h — checks of how a call just made ended (SPEC 7.1, 7.3).
 *
 * "Fails with E" (SPEC, Words) means: failure value, last error E and E reported to the error
 * callback. The failure value is checked by the case; these check the rest. When error capture is
 * active (capture_start), they also check that the callback was called exactly once, on this
 * thread, with E and a non-empty message — and not at all after a success.
 */
#ifndef CONFORMANCE_ERROR_EXPECT_H
#define CONFORMANCE_ERROR_EXPECT_H

#include "module_interface.h"

/* The calling thread's last error is `expected`; `what` names the call for the message. */
void expect_last_error(module_error_t expected, const char* what);

/* The call failed with `expected`. Returns the callback's message (released at the end of the
 * case), or NULL when capture is not active. */
const char* expect_failure(module_error_t expected, const char* what);

/* The call succeeded: last error MODULE_SUCCESS and no callback. */
void expect_success(const char* what);

/* Fails the case unless `message` contains `needle` (plain substring). */
void expect_message_contains(const char* message, const char* needle, const char* what);

/* Fails the case unless `message` names `path`: the path as given or as resolved (realpath), since
 * an implementation may report either. */
void expect_message_names_path(const char* message, const char* path, const char* what);

#endif /* CONFORMANCE_ERROR_EXPECT_H */
