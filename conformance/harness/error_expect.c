/* error_expect.c — see error_expect.h. */
#include "error_expect.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "case_context.h"
#include "case_memory.h"
#include "error_capture.h"
#include "error_names.h"

void expect_last_error(module_error_t expected, const char* what)
{
    module_error_t actual = CAND(module_get_last_error)();
    if (actual != expected) {
        /* error_name's buffer for undocumented values is per call: copy the first one. */
        const char* actual_name = case_strdup(error_name(actual));
        conformance_fail("%s: last error is %s, expected %s", what, actual_name,
                         error_name(expected));
    }
}

const char* expect_failure(module_error_t expected, const char* what)
{
    expect_last_error(expected, what);
    if (!capture_active()) {
        return NULL;
    }
    captured_error_t first;
    size_t calls = capture_take(&first);
    if (calls != 1) {
        conformance_fail("%s: the error callback was called %zu times for one failing call, "
                         "expected exactly once (SPEC 7.3)", what, calls);
    }
    if (first.code != expected) {
        const char* reported = case_strdup(error_name(first.code));
        conformance_fail("%s: the error callback received %s, expected %s (SPEC 7.3)", what,
                         reported, error_name(expected));
    }
    if (!pthread_equal(first.thread, pthread_self())) {
        conformance_fail("%s: the error callback ran on another thread (SPEC 7.3)", what);
    }
    if (first.message_was_null || first.message[0] == '\0') {
        conformance_fail("%s: the error callback received %s message (SPEC 7.3)", what,
                         first.message_was_null ? "a NULL" : "an empty");
    }
    return case_strdup(first.message);
}

void expect_success(const char* what)
{
    expect_last_error(MODULE_SUCCESS, what);
    if (capture_active()) {
        captured_error_t first;
        size_t calls = capture_take(&first);
        if (calls != 0) {
            conformance_fail("%s succeeded but the error callback was called %zu times "
                             "(first: %s \"%s\")", what, calls, error_name(first.code),
                             first.message);
        }
    }
}

void expect_message_contains(const char* message, const char* needle, const char* what)
{
    if (message == NULL) {
        conformance_fail("harness: %s: no message captured (call capture_start first)", what);
    }
    if (strstr(message, needle) == NULL) {
        conformance_fail("%s: the message \"%s\" does not contain \"%s\" (SPEC 7.3, 7.4)", what,
                         message, needle);
    }
}

void expect_message_names_path(const char* message, const char* path, const char* what)
{
    if (message == NULL) {
        conformance_fail("harness: %s: no message captured (call capture_start first)", what);
    }
    if (strstr(message, path) != NULL) {
        return;
    }
    char resolved[PATH_MAX];
    if (realpath(path, resolved) != NULL && strstr(message, resolved) != NULL) {
        return;
    }
    conformance_fail("%s: the message \"%s\" does not name the path %s (SPEC 7.3, 7.4)", what,
                     message, path);
}
