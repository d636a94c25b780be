/*
 * bench_context.h — what every benchmark family receives, and the families themselves.
 *
 * One family per file (bench_<family>.c). Each measures its operations against the candidate,
 * appends them to the "operations" array of the results, and leaves nothing loaded behind.
 */
#ifndef COREMOD_BENCH_CONTEXT_H
#define COREMOD_BENCH_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "bench_copies.h"
#include "bench_failure.h"
#include "bench_json.h"
#include "candidate_api.h"

typedef struct {
    const candidate_api_t* api;
    /* Copies of the fixture module. The first half is used only through the candidate, the second
     * half only through the raw loader, so neither side ever opens a file the other has mapped. */
    const bench_copies_t* copies;
    size_t copies_per_side;
    const char* module_path; /* the fixture itself (modules/example_module.so) */
    const char* symbol_name; /* a function the fixture exports ("example_function") */
    size_t warmup;           /* timed operations: discarded iterations */
    size_t samples;          /* timed operations: kept samples */
    size_t scale_modules;    /* memory_per_module / concurrent_modules: modules per run */
    size_t scale_warmup;     /* ... discarded runs */
    size_t scale_samples;    /* ... kept runs */
    size_t threads;          /* concurrent_modules: loading threads */
    bench_json_t* json;
} bench_context_t;

/* Which side of the pool a copy belongs to. */
typedef enum { BENCH_SIDE_CANDIDATE = 0, BENCH_SIDE_RAW = 1 } bench_side_t;

/* Path of copy `index` of `side`, or NULL when the pool is too small (a runner bug, reported as
 * a failure by the caller rather than silently reusing a file). */
const char* bench_context_copy(const bench_context_t* ctx, bench_side_t side, size_t index);

/* How many copies per side the families need for the given counts. */
size_t bench_copies_needed(size_t warmup, size_t samples, size_t scale_modules);

/* The configuration of the scale benchmarks (memory_per_module, concurrent_modules): the
 * document's advice for 1000+ modules ("max_concurrent_modules = 1500,  // Headroom") with every
 * other field at its documented default. The document's own example leaves memory_pool_size_mb at
 * 0, which SPEC 2.2 rejects; a benchmark must not measure a rejected configuration. */
module_system_config_t bench_scale_config(void);

/* Creates a system for a benchmark (untimed). On failure returns NULL and fills `failure`. */
module_system_t* bench_open_system(const bench_context_t* ctx, const module_system_config_t* config,
                                   bench_failure_t* failure);

/* The families. */
void bench_family_system_init(const bench_context_t* ctx);       /* module_system_init */
void bench_family_load(const bench_context_t* ctx);              /* module_load */
void bench_family_unload(const bench_context_t* ctx);            /* module_unload */
void bench_family_symbol(const bench_context_t* ctx);            /* module_get_symbol(_cold) */
void bench_family_memory(const bench_context_t* ctx);            /* memory_per_module */
void bench_family_concurrent(const bench_context_t* ctx);        /* concurrent_modules */
void bench_family_optimization_cold(const bench_context_t* ctx); /* *_cold of P.7-P.11 */
void bench_family_jit_create(const bench_context_t* ctx);        /* jit_optimization_create */
void bench_family_jit_info(const bench_context_t* ctx);          /* jit_get_apple_silicon_info */
void bench_family_jit_hints(const bench_context_t* ctx);     /* jit_generate_compilation_hints */
void bench_family_cache_pattern(const bench_context_t* ctx); /* cache_generate_prefetch_pattern */
void bench_family_numa_place(const bench_context_t* ctx);    /* numa_place_module */

#endif /* COREMOD_BENCH_CONTEXT_H */
