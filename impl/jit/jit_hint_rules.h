/*
 * jit_hint_rules.h — the rules that turn what a code buffer contains into compilation hints
 * (SPEC 10.6–10.13). Pure functions of the classifier's counts and of the machine's core kinds,
 * kept apart from the API so that each rule reads as its SPEC clause.
 */
#ifndef COREMOD_JIT_HINT_RULES_H
#define COREMOD_JIT_HINT_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "insn_classify.h"
#include "jit_optimization.h"

/* What the hints need to know about the machine (SPEC 10.12, 10.13): its core kinds as the
 * NUMA view reports them (SPEC 13.4). */
typedef struct {
    bool heterogeneous; /* more than one core kind */
    uint32_t p_cores;
    uint32_t e_cores;
} jit_machine_t;

/* Thresholds, named as SPEC 10 names them. */
#define JIT_UNROLL_MAX_MEAN_LOOP_WORDS 32u /* 10.7: mean loop length that is worth unrolling */
#define JIT_SIMD_SHARE_DIVISOR 8u          /* 10.8: SIMD/FP words >= 1/8 of the code */
#define JIT_MEMORY_SHARE_DIVISOR 4u        /* 10.8, 10.9: loads + stores >= 1/4 of the code */
#define JIT_BRANCH_SHARE_DIVISOR 8u        /* 10.10: conditional branches >= 1/8 of the code */
#define JIT_CALL_SHARE_DIVISOR 16u         /* 10.11: calls >= 1/16 of the code: glue code */
#define JIT_TINY_WORDS 16u                 /* 10.11: fewer words than this: level 0 */
#define JIT_LEVEL3_MAX_WORDS 16384u        /* 10.11: 64 KiB: above it level 3 costs too much */

/* Fills every field of *hints from the counts of a buffer of counts->total (> 0) words. */
void jit_hints_from_counts(const coremod_insn_counts_t* counts, const jit_machine_t* machine,
                           jit_compilation_hints_t* hints);

#endif /* COREMOD_JIT_HINT_RULES_H */
