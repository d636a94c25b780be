/*
 * bench_optimization.h — what the JIT, Cache and NUMA benchmarks share (SPEC P.7–P.11): their
 * workloads, so that the steady-state samples and the cold (first call in a fresh process) samples
 * measure the same calls.
 */
#ifndef COREMOD_BENCH_OPTIMIZATION_H
#define COREMOD_BENCH_OPTIMIZATION_H

#include <stddef.h>
#include <stdint.h>

#include "candidate_api.h"

/* P.9's workload: 64 KiB (16384 words) of AArch64 code — 256 copies of one 64-word loop as a
 * compiler emits them: loads, stores, NEON arithmetic, integer arithmetic, a forward conditional
 * branch, a call, and the loop's backward branch. Built once; never freed. */
#define BENCH_JIT_CODE_BYTES 65536u
const uint8_t* bench_jit_code(void);

/* P.10's workload: the document's example (a buffer of 1 Mi floats, sequential) and the other
 * patterns and sizes in turn, so no one branch of the rules is all that is measured. */
#define BENCH_PATTERN_SHAPES 8
void bench_pattern_shape(size_t index, size_t* size, cache_access_pattern_t* pattern);

/* P.11's workload: the document's example request (compute, priority 80, 512 KB, 75 %) and the
 * other module types in turn. */
#define BENCH_PLACEMENT_SHAPES 4
module_placement_request_t bench_placement_request(size_t index);

#endif /* COREMOD_BENCH_OPTIMIZATION_H */
