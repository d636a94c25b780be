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
    if (expected == MODULE_SUCCESS) {
        conformance_require_coremod_case("expect_last_error(MODULE_SUCCESS)",
                                         "SPEC 7.5: a successful call resets the last error");
    }
    module_error_t actual = CAND(module_get_last_error)();
    if (actual != expected) {
        /* error_name's buffer for undocumented values is per call: copy the first one. */
        const char* actual_name = case_strdup(error_name(actual));
        conformance_fail("%s: module_get_last_error() returned %s, expected %s (SPEC %s)", what,
                         actual_name, error_name(expected),
                         expected == MODULE_SUCCESS ? "7.5: a successful call resets it"
                                                    : "7.1: the failing call's own code");
    }
}

void expect_failed(module_error_t expected, const char* what)
{
    expect_last_error(expected, what);
    if (!capture_active()) {
        return;
    }
    captured_error_t first;
    size_t calls = capture_take(&first);
    if (calls == 0) {
        conformance_fail("%s: the call failed with %s but the error callback set with "
                         "module_set_error_callback was not called (SPEC 7.3: a failing call "
                         "passes its code and a message to the callback)",
                         what, error_name(expected));
    }
    if (first.code != expected) {
        const char* reported = case_strdup(error_name(first.code));
        conformance_fail("%s: the error callback received %s, expected %s, the code the last "
                         "error reports (SPEC 7.3)",
                         what, reported, error_name(expected));
    }
}

const char* expect_failure(module_error_t expected, const char* what)
{
    if (!capture_active()) {
        expect_last_error(expected, what);
        return NULL;
    }
    conformance_require_coremod_case("expect_failure under capture",
                                     "SPEC 7.7: the callback is called exactly once, on the "
                                     "failing thread, with a non-empty message");
    expect_last_error(expected, what);
    captured_error_t first;
    size_t calls = capture_take(&first);
    if (calls != 1) {
        conformance_fail("%s: the error callback was called %zu times for one failing call, "
                         "expected exactly once (SPEC 7.7)",
                         what, calls);
    }
    if (first.code != expected) {
        const char* reported = case_strdup(error_name(first.code));
        conformance_fail("%s: the error callback received %s, expected %s (SPEC 7.3)", what,
                         reported, error_name(expected));
    }
    if (!pthread_equal(first.thread, pthread_self())) {
        conformance_fail("%s: the error callback ran on another thread than the failing call's "
                         "(SPEC 7.7)",
                         what);
    }
    if (first.message_was_null || first.message[0] == '\0') {
        conformance_fail("%s: the error callback received %s message, expected a non-empty one "
                         "(SPEC 7.7)",
                         what, first.message_was_null ? "a NULL" : "an empty");
    }
    return case_strdup(first.message);
}

void expect_success(const char* what)
{
    conformance_require_coremod_case("expect_success",
                                     "SPEC 7.5 and 7.7: a successful call "
                                     "resets the last error and calls no callback");
    expect_last_error(MODULE_SUCCESS, what);
    if (capture_active()) {
        captured_error_t first;
        size_t calls = capture_take(&first);
        if (calls != 0) {
            conformance_fail("%s succeeded but the error callback was called %zu times, expected "
                             "none (SPEC 7.7; first call: %s \"%s\")",
                             what, calls, error_name(first.code), first.message);
        }
    }
}

void expect_message_contains(const char* message, const char* needle, const char* what)
{
    conformance_require_coremod_case("expect_message_contains",
                                     "SPEC 7.4: what failure messages name");
    if (message == NULL) {
        conformance_fail("harness: %s: no message captured (call capture_start first)", what);
    }
    if (strstr(message, needle) == NULL) {
        conformance_fail("%s: the callback's message \"%s\" does not contain \"%s\" (SPEC 7.4: "
                         "a message names what failed)",
                         what, message, needle);
    }
}

const char* expect_message_names_path(const char* message, const char* path, const char* what)
{
    conformance_require_coremod_case("expect_message_names_path",
                                     "SPEC 7.4: a load failure's message names the path");
    if (message == NULL) {
        conformance_fail("harness: %s: no message captured (call capture_start first)", what);
    }
    if (strstr(message, path) != NULL) {
        return path;
    }
    char resolved[PATH_MAX];
    if (realpath(path, resolved) != NULL && strstr(message, resolved) != NULL) {
        return case_strdup(resolved);
    }
    conformance_fail("%s: the callback's message \"%s\" names neither the path given, %s, nor "
                     "the path it resolves to (SPEC 7.4: a load failure's message names the path)",
                     what, message, path);
}

void expect_message_gives_reason(const char* message, const char* named, const char* what)
{
    conformance_require_coremod_case("expect_message_gives_reason",
                                     "SPEC 7.7: the message gives the validator's or the "
                                     "loader's reason");
    /* Count the letters outside the path and outside function names such as "module_load":
     * "module_load: /x/m.so" gives no reason, "module_load: /dev/null: a character device, not
     * a regular file" does. */
    size_t letters = 0;
    const char* at = strstr(message, named);
    size_t named_length = strlen(named);
    for (const char* c = message; *c != '\0'; c++) {
        if (at != NULL && c == at) {
            c += named_length - 1;
            continue;
        }
        if (strncmp(c, "module_load", 11) == 0) {
            c += 10;
            while (c[1] == '_' || (c[1] >= 'a' && c[1] <= 'z')) {
                c++; /* module_load_with_options */
            }
            continue;
        }
        letters += (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z');
    }
    if (letters < 4) {
        conformance_fail("%s: the callback's message \"%s\" names the path but gives no reason "
                         "for the failure (SPEC 7.7: the validator's or the loader's reason, e.g. "
                         "\"not a regular file\")",
                         what, message);
    }
}
