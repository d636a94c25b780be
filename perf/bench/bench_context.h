/*
 * bench_context.h — what every benchmark family receives, and the families themselves.
 *
 * One family per file (bench_<family>.c). Each measures its operations against the candidate,
 * hands one result per operation to the runner (bench_result.h), in the order of the results file,
 * and leaves nothing loaded behind. A family neither formats nor prints: the reporter
 * writes the results, the runner prints progress and dumps instruction counts.
 */
#ifndef COREMOD_BENCH_CONTEXT_H
#define COREMOD_BENCH_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "bench_copies.h"
#include "bench_failure.h"
#include "bench_result.h"
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

/* A family: measures its operations and hands one result each to `results`, in the order of the
 * results file. */
typedef void bench_family_fn(const bench_context_t* ctx, bench_results_t* results);

/* The families (bench_operations.h lists their operations). */
bench_family_fn bench_family_system_init;       /* module_system_init */
bench_family_fn bench_family_load;              /* module_load */
bench_family_fn bench_family_unload;            /* module_unload */
bench_family_fn bench_family_symbol;            /* module_get_symbol(_cold) */
bench_family_fn bench_family_memory;            /* memory_per_module */
bench_family_fn bench_family_concurrent;        /* concurrent_modules */
bench_family_fn bench_family_optimization_cold; /* *_cold of P.7-P.11 */
bench_family_fn bench_family_jit_create;        /* jit_optimization_create */
bench_family_fn bench_family_jit_info;          /* jit_get_apple_silicon_info */
bench_family_fn bench_family_jit_hints;         /* jit_generate_compilation_hints */
bench_family_fn bench_family_cache_pattern;     /* cache_generate_prefetch_pattern */
bench_family_fn bench_family_numa_place;        /* numa_place_module */
bench_family_fn bench_family_debugger;          /* debugger_set_breakpoint_*, _hit_* */

#endif /* COREMOD_BENCH_CONTEXT_H */
