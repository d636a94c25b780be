/*
 * case_watchdog.h — a time limit that holds even when Criterion's does not.
 *
 * Criterion 2.4.1 enforces .timeout from the runner through BoxFort, and that enforcement can be
 * lost when several cases with timeouts run in parallel (Criterion issue #345): a deadlocked case
 * then hangs the whole run. So each case process also arms its own watchdog, a little after the
 * Criterion limit: when it fires it marks the case as timed out in a file the report hook reads
 * and kills its own process with SIGKILL, which Criterion always notices.
 */
#ifndef CONFORMANCE_CASE_WATCHDOG_H
#define CONFORMANCE_CASE_WATCHDOG_H

#include <stdbool.h>
#include <stddef.h>

/* Seconds the watchdog waits beyond the case's Criterion timeout. */
#define CASE_WATCHDOG_GRACE_S 2.0

/* Case process: creates the (empty) marker of case `id` in the run directory and arms a timer of
 * `timeout_s` + grace. Without a run directory the watchdog still kills the hung case; only the
 * marker is missing. False with a message if the timer cannot be armed. */
bool case_watchdog_arm(const char* id, double timeout_s, char* err, size_t err_size);

/* Case process: disarms the timer (end of the case). */
void case_watchdog_disarm(void);

/* Runner process: whether case `id`'s watchdog fired; removes the marker. */
bool case_watchdog_fired(const char* run_dir, const char* id);

#endif /* CONFORMANCE_CASE_WATCHDOG_H */
