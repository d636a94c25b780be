/*
 * case_context.h — the life of one conformance case.
 *
 * Every case is a Criterion test declared with CONFORMANCE_CASE. Criterion runs each test in its
 * own process, so everything here is per case: the candidate binding, the case's temporary
 * directory, its fixture log and the systems it created. The runner process (result_hook.c) only
 * sees the outcome.
 *
 *     CONFORMANCE_CASE(core_load, CORE_LOAD_001, "3.1", "bare name is found on the search path")
 *     {
 *         module_system_t* system = case_system_new(dir, 0);
 *         ...
 *     }
 *
 * The Criterion test name (CORE_LOAD_001) is the case id with '-' written as '_'; the description
 * carries "id|clause|title" for the report hook.
 */
#ifndef CONFORMANCE_CASE_CONTEXT_H
#define CONFORMANCE_CASE_CONTEXT_H

#include <criterion/criterion.h>
#include <stdbool.h>

#include "candidate_api.h"

/* Generous: the slowest case (1001 distinct loads under ASan) takes a few seconds. */
#define CONFORMANCE_DEFAULT_TIMEOUT_S 20.0

/* The candidate under test, bound by the case's init fixture. */
extern candidate_api_t conformance_candidate;

/* Calls the candidate's `fn`, failing the case with a message naming `fn` if the candidate does not
 * export it. The reference implementation is never used in its place. Usage: CAND(module_load)(s,
 * p). Only for the case's main thread (Criterion assertions end the test with a longjmp); worker
 * threads call conformance_candidate.fn after conformance_require_all_functions(). */
#define CAND(fn)                                                                                   \
    (conformance_require_function(conformance_candidate.fn != NULL, #fn), conformance_candidate.fn)

void conformance_require_function(bool present, const char* name);
void conformance_require_all_functions(void);

/* Fails the case with a formatted message (usable from helper functions). */
void conformance_fail(const char* format, ...) __attribute__((format(printf, 1, 2), noreturn));

/* The current case's id, e.g. "CORE-LOAD-001". */
const char* conformance_case_id(void);

/* The SPEC clause the current case cites, and whether its level is `document` (SPEC.md, "Whose
 * rule"). */
const char* conformance_case_clause(void);
bool conformance_case_is_document_level(void);

/* For harness helpers that check a coremod-level rule (`rule` names it, e.g. "SPEC 7.7: the
 * callback is called exactly once"): fails the case as a harness error when the current case
 * cites a document-level clause, so that no document-level case can fail for a coremod reason
 * (SPEC, "Whose rule": "No document-level clause depends on a coremod-level behaviour"). */
void conformance_require_coremod_case(const char* helper, const char* rule);

/* Fixture steps, called by the code CONFORMANCE_CASE expands to. */
void conformance_case_setup(const char* test_name, const char* clause, double timeout_s);
void conformance_case_enter(void);
void conformance_case_completed(void);
void conformance_case_teardown(void);

#define CONFORMANCE_CASE_TIMEOUT(suite_, name_, clause_, title_, timeout_s_)                       \
    static void conformance_body_##name_(void);                                                    \
    static void conformance_init_##name_(void)                                                     \
    {                                                                                              \
        conformance_case_setup(#name_, clause_, timeout_s_);                                       \
    }                                                                                              \
    Test(suite_, name_, .description = #name_ "|" clause_ "|" title_,                              \
         .init = conformance_init_##name_, .fini = conformance_case_teardown,                      \
         .timeout = (timeout_s_))                                                                  \
    {                                                                                              \
        conformance_case_enter();                                                                  \
        conformance_body_##name_();                                                                \
        conformance_case_completed();                                                              \
    }                                                                                              \
    static void conformance_body_##name_(void)

#define CONFORMANCE_CASE(suite_, name_, clause_, title_)                                           \
    CONFORMANCE_CASE_TIMEOUT(suite_, name_, clause_, title_, CONFORMANCE_DEFAULT_TIMEOUT_S)

#endif /* CONFORMANCE_CASE_CONTEXT_H */
