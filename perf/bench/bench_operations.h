/*
 * bench_operations.h — the one list of what coremod-bench measures.
 *
 * The runner's family table, its --only names, its --list output and the set --metric
 * instructions can count all expand from the two lists below (the libuv way: one list, many
 * expansions). The `coremod` command reads this file (scripts/coremodlib/operations.py), and the
 * tests check that `coremod-bench --list` prints the same rows and that every gate of
 * perf/budgets.toml names an operation listed here with the right kind. Adding an operation is a
 * row here, its family's function, and its budget.
 *
 * BENCH_FAMILIES(X): X(family, copies, countable), in the order the runner runs them.
 *   family     bench_family_<family> (bench_context.h) measures the family's operations in one go
 *              and hands one bench_run_t (bench_result.h) per operation to the runner
 *   copies     COPIES if it loads module copies (bench_copies.h), else NO_COPIES
 *   countable  COUNTABLE if --metric instructions can count it (one operation per timed call,
 *              one thread), else NOT_COUNTABLE
 * The cold family forks children that make the process's first calls, so it must run before the
 * steady families make any. The debugger family is not countable: what it measures is mostly the
 * kernel's (a trap, perf_event_open, a write to /proc/self/mem), which callgrind does not count,
 * and under valgrind the program runs from translated copies of its code, so a patched or
 * debug-register breakpoint on the original is not the breakpoint the gate is about.
 *
 * BENCH_OPERATIONS(X): X(operation, family, kind), one row per operation the results carry.
 *   kind  TIME: the time of one call in the steady state (percentile gates);
 *         EVERY_SAMPLE: a figure of one run of many modules (every-sample gates);
 *         COLD: the first call in a fresh process, reported beside the steady operation of the
 *         same name without `_cold`, never gated
 */
#ifndef COREMOD_BENCH_OPERATIONS_H
#define COREMOD_BENCH_OPERATIONS_H

/* One row per line, the columns aligned. */
/* clang-format off */
#define BENCH_FAMILIES(X)                                  \
    X(system_init,       NO_COPIES, COUNTABLE)             \
    X(load,              COPIES,    COUNTABLE)             \
    X(unload,            COPIES,    COUNTABLE)             \
    X(symbol,            COPIES,    COUNTABLE)             \
    X(memory,            COPIES,    NOT_COUNTABLE)         \
    X(concurrent,        COPIES,    NOT_COUNTABLE)         \
    X(optimization_cold, NO_COPIES, NOT_COUNTABLE)         \
    X(jit_create,        NO_COPIES, COUNTABLE)             \
    X(jit_info,          NO_COPIES, COUNTABLE)             \
    X(jit_hints,         NO_COPIES, COUNTABLE)             \
    X(cache_pattern,     NO_COPIES, COUNTABLE)             \
    X(numa_place,        NO_COPIES, COUNTABLE)             \
    X(debugger,          NO_COPIES, NOT_COUNTABLE)

#define BENCH_OPERATIONS(X)                                              \
    X(module_system_init,                   system_init,       TIME)     \
    X(module_load,                          load,              TIME)     \
    X(module_unload,                        unload,            TIME)     \
    X(module_get_symbol,                    symbol,            TIME)     \
    X(module_get_symbol_cold,               symbol,            COLD)     \
    X(memory_per_module,                    memory,            EVERY_SAMPLE) \
    X(concurrent_modules,                   concurrent,        EVERY_SAMPLE) \
    X(jit_optimization_create_cold,         optimization_cold, COLD)     \
    X(jit_get_apple_silicon_info_cold,      optimization_cold, COLD)     \
    X(jit_generate_compilation_hints_cold,  optimization_cold, COLD)     \
    X(cache_generate_prefetch_pattern_cold, optimization_cold, COLD)     \
    X(numa_place_module_cold,               optimization_cold, COLD)     \
    X(jit_optimization_create,              jit_create,        TIME)     \
    X(jit_get_apple_silicon_info,           jit_info,          TIME)     \
    X(jit_generate_compilation_hints,       jit_hints,         TIME)     \
    X(cache_generate_prefetch_pattern,      cache_pattern,     TIME)     \
    X(numa_place_module,                    numa_place,        TIME)     \
    X(debugger_set_breakpoint_software,     debugger,          TIME)     \
    X(debugger_set_breakpoint_hardware,     debugger,          TIME)     \
    X(debugger_breakpoint_hit_software,     debugger,          TIME)     \
    X(debugger_breakpoint_hit_hardware,     debugger,          TIME)
/* clang-format on */

#endif /* COREMOD_BENCH_OPERATIONS_H */
