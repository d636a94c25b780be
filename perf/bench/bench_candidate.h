/*
 * bench_candidate.h — the candidate implementation as the benchmarks use it.
 *
 * The runner binds to the candidate exactly like the conformance suite (candidate_api.h: dlopen of
 * the candidate, every function through dlsym; never a link to an implementation). This file adds
 * what measuring needs on top: checking that an operation's functions exist before measuring it,
 * and turning a failed call into a recorded failure with the candidate's own error code, string
 * and callback message.
 */
#ifndef COREMOD_BENCH_CANDIDATE_H
#define COREMOD_BENCH_CANDIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "bench_failure.h"
#include "candidate_api.h"

/* True when the candidate exports the API function called `name`. */
bool bench_candidate_has(const candidate_api_t* api, const char* name);

/* Checks the functions an operation needs. Returns true when all exist; otherwise writes
 * "candidate does not export X[, Y...]" into `why` and returns false. */
bool bench_candidate_require(const candidate_api_t* api, const char* const* names, size_t count,
                             char* why, size_t why_size);

/* Installs the runner's error callback in the candidate (when it exports
 * module_set_error_callback), so failures carry the message naming their cause. */
void bench_candidate_capture_errors(const candidate_api_t* api);

/* Removes the callback again; call before unbinding the candidate. */
void bench_candidate_release_errors(const candidate_api_t* api);

/* Fills `failure` for a candidate call that just failed on this thread: the code from
 * module_get_last_error, its string, and the last callback message this thread received. */
void bench_failure_from_candidate(bench_failure_t* failure, const candidate_api_t* api,
                                  const char* call);

#endif /* COREMOD_BENCH_CANDIDATE_H */
