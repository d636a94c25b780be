/*
 * result_status.h — how a finished Criterion test maps onto a case status (SPEC "Case statuses").
 *
 * Precedence, first match wins:
 *   timed out (Criterion's limit or the case's
 *   own watchdog, case_watchdog.h)             -> timeout  "timed out after N s"
 *   a failed assertion whose message starts
 *   with HARNESS_FAULT_PREFIX (case_outcome.h) -> internal_error  the message: the harness could
 *                                                 not do its own part (a chmod, a thread, a
 *                                                 fixture), which says nothing of the candidate
 *   a failed assertion                         -> fail     the first failed assertion's message
 *   killed by a signal                         -> crash    "killed by signal SIGBUS (Bus error)"
 *   crashed in setup/teardown, no signal       -> crash    "crashed during case setup or teardown"
 *   exited with a non-zero status              -> crash    "exited with status N" (e.g. a
 *                                                          sanitizer report, or a candidate that
 *                                                          called exit)
 *   skipped with reason "not_supported: ..."   -> not_supported  the reason
 *   skipped otherwise                          -> internal_error (a harness bug: never a silent
 *                                                 pass, never the candidate's fault)
 *   passed with a quality note                 -> quality_warning  the note
 *   passed                                     -> pass
 * A failed assertion wins over a later crash: once a case has failed, the candidate may be in any
 * state, and the first failure is the one that explains it. A timeout, crash or exit also says
 * the case's last step and its last call into the candidate (case_step.h), when recorded.
 */
#ifndef CONFORMANCE_RESULT_STATUS_H
#define CONFORMANCE_RESULT_STATUS_H

#include <criterion/stats.h>
#include <stdbool.h>
#include <stddef.h>

/* Writes the status name to *status and the message to `message`. `note` is the case's quality
 * note, or NULL; `step` what case_step_take made of its steps, or NULL; `watchdog_fired` says the
 * case's own watchdog ended it. */
void case_result_classify(const struct criterion_test_stats* stats, const char* note,
                          const char* step, bool watchdog_fired, const char** status, char* message,
                          size_t message_size);

/* "SIGBUS (Bus error)" for 7: the signal's name and description, as a stranger can look them
 * up. */
void case_signal_text(int signal_number, char* out, size_t out_size);

#endif /* CONFORMANCE_RESULT_STATUS_H */
