/*
 * jit_hint_rules.c — SPEC 10.7–10.13, one function per hint field. Every comparison is on
 * integers (a share "at least 1/d" is written d * count >= total), so every candidate computes
 * the same answer for the same buffer; the only float, thermal_budget, is one IEEE division of
 * two small integers or a constant.
 */
#include "jit_hint_rules.h"

/* Figures of SPEC 10.6. */
typedef struct {
    uint64_t words;       /* N */
    uint64_t loops;       /* B: backward branches */
    uint64_t loop_words;  /* S: sum of their lengths in words */
    uint64_t conditional; /* C */
    uint64_t calls;       /* K */
    uint64_t simd_fp;     /* F */
    uint64_t memory;      /* M: loads + stores (an atomic read-modify-write counts twice) */
} code_figures_t;

static code_figures_t figures_of(const coremod_insn_counts_t* counts)
{
    return (code_figures_t){
        .words = counts->total,
        .loops = counts->backward_branches,
        .loop_words = counts->loop_words_sum,
        .conditional = counts->conditional_branches,
        .calls = counts->calls,
        .simd_fp = counts->simd_fp,
        .memory = counts->loads + counts->stores,
    };
}

/* 10.7: small loops are worth unrolling; large bodies would only grow the code. */
static bool wants_unrolling(const code_figures_t* f)
{
    return f->loops > 0 && f->loop_words <= JIT_UNROLL_MAX_MEAN_LOOP_WORDS * f->loops;
}

static bool memory_dense(const code_figures_t* f)
{
    return JIT_MEMORY_SHARE_DIVISOR * f->memory >= f->words;
}

/* 10.8: code already doing FP/SIMD arithmetic, or call-free loops streaming through memory
 * (the loops a vectorizer can widen: a call in them usually defeats it). */
static bool wants_vectorization(const code_figures_t* f)
{
    return JIT_SIMD_SHARE_DIVISOR * f->simd_fp >= f->words ||
           (f->loops > 0 && f->calls == 0 && memory_dense(f));
}

/* 10.9: software prefetch pays in loops that walk memory. */
static bool wants_prefetch(const code_figures_t* f)
{
    return f->loops > 0 && memory_dense(f);
}

/* 10.10: branchy code is where layout and prediction hints matter. */
static bool wants_branch_hints(const code_figures_t* f)
{
    return JIT_BRANCH_SHARE_DIVISOR * f->conditional >= f->words;
}

/* 10.11: compile effort follows where the time goes. */
static uint32_t optimization_level(const code_figures_t* f, bool unroll, bool vectorize)
{
    if (f->words < JIT_TINY_WORDS) {
        return 0;
    }
    if (f->loops == 0 || JIT_CALL_SHARE_DIVISOR * f->calls >= f->words) {
        return 1;
    }
    if (f->words <= JIT_LEVEL3_MAX_WORDS && (unroll || vectorize)) {
        return 3;
    }
    return 2;
}

/* 10.12: only a machine with several core kinds has a choice to make. */
static uint32_t target_core_type(const code_figures_t* f, const jit_machine_t* m, uint32_t level)
{
    if (!m->heterogeneous) {
        return 0;
    }
    if (level == 3) {
        return 1;
    }
    if (f->loops == 0) {
        return 2;
    }
    return 0;
}

/* 10.13 */
static float thermal_budget(const jit_machine_t* m, uint32_t target, uint32_t level)
{
    if (target == 1) {
        return 1.0f;
    }
    if (target == 2) {
        return 0.25f;
    }
    if (m->heterogeneous) {
        /* Left to the scheduler: the share of the machine's cores that are performance cores. */
        return (float)m->p_cores / (float)(m->p_cores + m->e_cores);
    }
    return level >= 2 ? 1.0f : 0.5f;
}

void jit_hints_from_counts(const coremod_insn_counts_t* counts, const jit_machine_t* machine,
                           jit_compilation_hints_t* hints)
{
    code_figures_t f = figures_of(counts);
    jit_compilation_hints_t out = {0};
    out.enable_loop_unrolling = wants_unrolling(&f);
    out.enable_vectorization = wants_vectorization(&f);
    out.enable_prefetch_hints = wants_prefetch(&f);
    out.enable_branch_prediction = wants_branch_hints(&f);
    out.optimization_level =
        optimization_level(&f, out.enable_loop_unrolling, out.enable_vectorization);
    out.target_core_type = target_core_type(&f, machine, out.optimization_level);
    out.thermal_budget = thermal_budget(machine, out.target_core_type, out.optimization_level);
    *hints = out;
}
