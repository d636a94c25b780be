/*
 * case_outcome.h — the outcomes a case reports besides pass and fail.
 *
 * not_supported: the candidate or the platform lacks a capability the case needs (SPEC "Case
 * statuses"). The case ends as a Criterion skip whose reason starts with "not_supported: "; the
 * report hook turns exactly those skips into not_supported, never into a pass.
 *
 * quality_warning: the case passed, but a measured quality is over a budget. Criterion has no
 * status for that, so the case appends a note to a file in the run directory that the report hook
 * reads after the case ends.
 */
#ifndef CONFORMANCE_CASE_OUTCOME_H
#define CONFORMANCE_CASE_OUTCOME_H

#include <stdbool.h>
#include <stddef.h>

#define CONFORMANCE_NOT_SUPPORTED_PREFIX "not_supported: "

/* internal_error: the harness could not do its own part (a chmod, a thread, a fixture); says
 * nothing of the candidate. A failed assertion whose message starts with this prefix ends as
 * internal_error (result_status.h), which gives no verdict (exit 2), never a rejection. */
#define HARNESS_FAULT_PREFIX "harness: "

/* Ends the case as not_supported with the formatted reason, after destroying the systems the
 * case still holds (so that a sanitizer build does not see them as leaks). */
void conformance_not_supported(const char* format, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/* Records a quality warning for the current case; the case continues. */
void conformance_quality_warning(const char* format, ...) __attribute__((format(printf, 1, 2)));

/* Path of the quality note of case `id` in the run directory `run_dir`; false if too long. */
bool conformance_note_path(char* out, size_t out_size, const char* run_dir, const char* id);

#endif /* CONFORMANCE_CASE_OUTCOME_H */
