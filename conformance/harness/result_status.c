/* result_status.c — see result_status.h. */
#include "result_status.h"

#include <signal.h>
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

void case_signal_text(int signal_number, char* out, size_t out_size)
{
    const char* description = strsignal(signal_number);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
    const char* name = sigabbrev_np(signal_number);
    if (name != NULL) {
        snprintf(out, out_size, "SIG%s (%s)", name, description ? description : "unknown");
        return;
    }
#endif
    snprintf(out, out_size, "%d (%s)", signal_number, description ? description : "unknown");
}

/* Appends "; STEP" to `message` when the case recorded its steps (case_step_take). */
static void add_step(char* message, size_t message_size, const char* step)
{
    if (step == NULL || step[0] == '\0') {
        return;
    }
    size_t used = strlen(message);
    snprintf(message + used, message_size - used, "; %s", step);
}

void case_result_classify(const struct criterion_test_stats* stats, const char* note,
                          const char* step, bool watchdog_fired, const char** status, char* message,
                          size_t message_size)
{
    const char* failed = first_failed_assertion(stats);
    message[0] = '\0';
    if (stats->timed_out || watchdog_fired) {
        *status = "timeout";
        snprintf(message, message_size, "timed out after %g s", stats->test->data->timeout);
        add_step(message, message_size, step);
    } else if (failed != NULL &&
               strncmp(failed, HARNESS_FAULT_PREFIX, strlen(HARNESS_FAULT_PREFIX)) == 0) {
        *status = "internal_error";
        snprintf(message, message_size, "%s", failed);
    } else if (failed != NULL || stats->failed_asserts > 0) {
        *status = "fail";
        snprintf(message, message_size, "%s", failed ? failed : "an assertion failed");
    } else if (stats->signal != 0) {
        char name[128];
        case_signal_text(stats->signal, name, sizeof(name));
        *status = "crash";
        snprintf(message, message_size, "killed by signal %s", name);
        add_step(message, message_size, step);
    } else if (stats->crashed) {
        *status = "crash";
        snprintf(message, message_size, "crashed during case setup or teardown");
        add_step(message, message_size, step);
    } else if (stats->exit_code != 0) {
        *status = "crash";
        snprintf(message, message_size, "exited with status %d", stats->exit_code);
        add_step(message, message_size, step);
    } else if (stats->test_status == CR_STATUS_SKIPPED) {
        const char* reason = stats->message ? stats->message : "";
        size_t prefix = strlen(CONFORMANCE_NOT_SUPPORTED_PREFIX);
        if (strncmp(reason, CONFORMANCE_NOT_SUPPORTED_PREFIX, prefix) == 0) {
            *status = "not_supported";
            snprintf(message, message_size, "%s", reason + prefix);
        } else {
            *status = "internal_error";
            snprintf(message, message_size,
                     HARNESS_FAULT_PREFIX "skipped without a not_supported reason: %s", reason);
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
