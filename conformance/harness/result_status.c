/* result_status.c — see result_status.h. */
#include "result_status.h"

#include <stdio.h>
#include <string.h>

#include "case_outcome.h"

/* Criterion keeps the failed assertions most recent first: the first failure is the last one. */
static const char* first_failed_assertion(const struct criterion_test_stats* stats)
{
    const char* message = NULL;
    for (const struct criterion_assert_stats* a = stats->asserts; a != NULL; a = a->next) {
        if (!a->passed) {
            message = a->message ? a->message : "";
        }
    }
    return message;
}

void case_result_classify(const struct criterion_test_stats* stats, const char* note,
                          bool watchdog_fired, const char** status, char* message,
                          size_t message_size)
{
    const char* failed = first_failed_assertion(stats);
    message[0] = '\0';
    if (stats->timed_out || watchdog_fired) {
        *status = "timeout";
        snprintf(message, message_size, "timed out after %g s", stats->test->data->timeout);
    } else if (failed != NULL || stats->failed_asserts > 0) {
        *status = "fail";
        snprintf(message, message_size, "%s", failed ? failed : "an assertion failed");
    } else if (stats->signal != 0) {
        *status = "crash";
        snprintf(message, message_size, "killed by signal %d", stats->signal);
    } else if (stats->crashed) {
        *status = "crash";
        snprintf(message, message_size, "crashed during case setup or teardown");
    } else if (stats->exit_code != 0) {
        *status = "crash";
        snprintf(message, message_size, "exited with status %d", stats->exit_code);
    } else if (stats->test_status == CR_STATUS_SKIPPED) {
        const char* reason = stats->message ? stats->message : "";
        size_t prefix = strlen(CONFORMANCE_NOT_SUPPORTED_PREFIX);
        if (strncmp(reason, CONFORMANCE_NOT_SUPPORTED_PREFIX, prefix) == 0) {
            *status = "not_supported";
            snprintf(message, message_size, "%s", reason + prefix);
        } else {
            *status = "fail";
            snprintf(message, message_size, "harness: skipped without a not_supported reason: %s",
                     reason);
        }
    } else if (stats->test_status == CR_STATUS_FAILED) {
        *status = "fail";
        snprintf(message, message_size, "failed without an assertion message");
    } else if (note != NULL && note[0] != '\0') {
        *status = "quality_warning";
        snprintf(message, message_size, "%s", note);
    } else {
        *status = "pass";
    }
}
