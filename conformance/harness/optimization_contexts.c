/* optimization_contexts.c — see optimization_contexts.h. */
#include "optimization_contexts.h"

#include <stdint.h>
#include <string.h>

#include "case_context.h"
#include "case_memory.h"
#include "error_expect.h"
#include "error_names.h"

void optimization_require_all(void)
{
    char missing[1024];
    if (candidate_missing_optimization_functions(&conformance_candidate, missing, sizeof(missing)) >
        0) {
        conformance_fail("the candidate %s does not export %s, which this case needs",
                         conformance_candidate.path, missing);
    }
}

#define CASE_NEW(api, type)                                                                        \
    type* case_##api##_new(void)                                                                   \
    {                                                                                              \
        type* ctx = CAND(api##_optimization_create)();                                             \
        if (ctx == NULL) {                                                                         \
            conformance_fail(#api "_optimization_create returned NULL: %s",                        \
                             error_name(CAND(module_get_last_error)()));                           \
        }                                                                                          \
        return ctx;                                                                                \
    }

CASE_NEW(jit, jit_optimization_context_t)
CASE_NEW(cache, cache_optimization_context_t)
CASE_NEW(numa, numa_optimization_context_t)

#undef CASE_NEW

static void* destroyed_context(context_api_t api)
{
    void* ctx = NULL;
    switch (api) {
    case CONTEXT_JIT:
        ctx = case_jit_new();
        CAND(jit_optimization_destroy)(ctx);
        break;
    case CONTEXT_CACHE:
        ctx = case_cache_new();
        CAND(cache_optimization_destroy)(ctx);
        break;
    case CONTEXT_NUMA:
        ctx = case_numa_new();
        CAND(numa_optimization_destroy)(ctx);
        break;
    }
    return ctx;
}

void bad_contexts(context_api_t api, void* local, bad_context_t out[BAD_CONTEXT_COUNT])
{
    void* garbage = case_alloc(512);
    memset(garbage, 0xA5, 512);
    size_t n = 0;
    out[n++] = (bad_context_t){NULL, "NULL"};
    out[n++] = (bad_context_t){destroyed_context(api), "a destroyed context"};
    out[n++] = (bad_context_t){(void*)(uintptr_t)0xdeadbeef000, "0xdeadbeef000"};
    out[n++] = (bad_context_t){local, "the address of a local variable"};
    out[n++] = (bad_context_t){garbage, "heap memory filled with 0xA5"};
    if (api != CONTEXT_JIT) {
        out[n++] = (bad_context_t){case_jit_new(), "a live JIT context"};
    }
    if (api != CONTEXT_CACHE) {
        out[n++] = (bad_context_t){case_cache_new(), "a live cache context"};
    }
    if (api != CONTEXT_NUMA) {
        out[n++] = (bad_context_t){case_numa_new(), "a live NUMA context"};
    }
}
