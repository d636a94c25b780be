/*
 * runner_sanitizer.h — LeakSanitizer in the runner process.
 *
 * Criterion 2.4.1's runner leaks a few 48-byte blocks of its own (allocated inside libcriterion
 * when several cases run in parallel with timeouts), so in a -Db_sanitize=address build the runner
 * would end with LeakSanitizer's exit status although every case was reported. The runner process
 * runs only Criterion and the report hook — candidates run in the case processes, which keep their
 * checks — so leak checking is turned off for the runner process alone.
 */
#ifndef CONFORMANCE_RUNNER_SANITIZER_H
#define CONFORMANCE_RUNNER_SANITIZER_H

/* Marks the calling process as the runner (called from the PRE_ALL report hook). */
void runner_process_mark(void);

#endif /* CONFORMANCE_RUNNER_SANITIZER_H */
