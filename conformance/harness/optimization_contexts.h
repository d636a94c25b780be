/*
 * optimization_contexts.h — contexts of the JIT, Cache and NUMA APIs for the cases of SPEC 10–12,
 * and the values that are not contexts (SPEC 10.1).
 */
#ifndef CONFORMANCE_OPTIMIZATION_CONTEXTS_H
#define CONFORMANCE_OPTIMIZATION_CONTEXTS_H

#include <stddef.h>

#include "cache_optimization.h"
#include "jit_optimization.h"
#include "numa_optimization.h"

/* Fails the case unless the candidate exports every function of CANDIDATE_OPTIMIZATION_FUNCTIONS
 * (for cases whose worker threads call conformance_candidate.fn directly). */
void optimization_require_all(void);

/* *_create through the candidate; fails the case (naming the last error) on NULL. Whether the
 * success reset the last error is SPEC 10.2's (coremod), checked by JIT-CTX-001, CACHE-CTX-001
 * and NUMA-CTX-001. */
jit_optimization_context_t* case_jit_new(void);
cache_optimization_context_t* case_cache_new(void);
numa_optimization_context_t* case_numa_new(void);

typedef enum { CONTEXT_JIT = 0, CONTEXT_CACHE = 1, CONTEXT_NUMA = 2 } context_api_t;

typedef struct {
    void* value;
    const char* what;
} bad_context_t;

#define BAD_CONTEXT_COUNT 7

/* Values that name no live context of `api` (SPEC 10.1): NULL, a destroyed context of `api`,
 * 0xdeadbeef000, `local` (the address of the caller's local variable), heap garbage, and a live
 * context of each other API (created here, kept until the case ends). */
void bad_contexts(context_api_t api, void* local, bad_context_t out[BAD_CONTEXT_COUNT]);

#endif /* CONFORMANCE_OPTIMIZATION_CONTEXTS_H */
