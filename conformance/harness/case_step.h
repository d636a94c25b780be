/*
 * case_step.h — what a case was doing, for the message of a case that dies doing it.
 *
 * A case killed by a signal, its watchdog or an exit cannot say anything itself: the report hook
 * only learns "killed by signal SIGBUS". So each case process keeps two facts in a small file of
 * the run directory, mapped shared so that writing them costs a copy, not a system call, and they
 * survive the process: the step the case said it was taking (`case_step("loading the truncated
 * fixture %s", name)`, before each risky step) and the last candidate function it called (every
 * CAND(fn) records fn). When a case ends abnormally the hook reads them into its message:
 * "killed by signal SIGBUS (Bus error); last step: loading the truncated fixture trunc_ctor.so;
 * last call into the candidate: module_load". A case that ends normally never shows them.
 *
 * Best effort: without a run directory (criterion --debug) nothing is recorded. The file is set up
 * when the case starts, so a case that later gives up root still records its steps.
 */
#ifndef CONFORMANCE_CASE_STEP_H
#define CONFORMANCE_CASE_STEP_H

#include <stddef.h>

/* Records the current case's step (replacing the previous one). */
void case_step(const char* format, ...) __attribute__((format(printf, 1, 2)));

/* Records that the case is calling the candidate's `function` (CAND does this). */
void case_step_call(const char* function);

/* Maps the current case's step file (conformance_case_setup calls it as the case starts). */
void case_step_open(const char* run_dir, const char* case_id);

/* Runner side: "last step: ...; last call into the candidate: ..." from case `case_id`'s step
 * file in `run_dir` ("" if it recorded nothing), then deletes the file. */
void case_step_take(const char* run_dir, const char* case_id, char* out, size_t out_size);

#endif /* CONFORMANCE_CASE_STEP_H */
