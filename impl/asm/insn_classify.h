/*
 * insn_classify.h — counts what an AArch64 code buffer contains; the figures behind
 * jit_generate_compilation_hints (loops, SIMD/FP share, load/store density, calls, branches).
 *
 * The exact encodings counted in each field are defined in impl/asm/README.md ("Instruction
 * classifier") with the ARM ARM field names; the C twin (c/insn_classify_c.c) is the readable
 * statement of those rules and the assembly must give identical counts for every input.
 */
#ifndef COREMOD_INSN_CLASSIFY_H
#define COREMOD_INSN_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel_arch.h"

/* Categories overlap where the architecture's do (BL is both an unconditional immediate branch
 * and a call); branches == conditional + unconditional_immediate + indirect always holds.
 * The assembly writes this struct by field offset: keep the order (static asserts in the C
 * twin check it). */
typedef struct {
    uint64_t total;                   /* words examined */
    uint64_t branches;                /* every branch below */
    uint64_t conditional_branches;    /* B.cond, BC.cond, CBZ, CBNZ, TBZ, TBNZ */
    uint64_t unconditional_immediate; /* B, BL */
    uint64_t calls;                   /* BL and the BLR family */
    uint64_t returns;                 /* the RET family */
    uint64_t indirect_branches;       /* the BR, BLR and RET families */
    uint64_t backward_branches;       /* B, B.cond, BC.cond, CB(N)Z, TB(N)Z with offset < 0 */
    uint64_t loop_words_sum;          /* sum of |offset| / 4 over backward branches */
    uint64_t loop_words_max;          /* largest |offset| / 4 of a backward branch, 0 if none */
    uint64_t simd_fp;                 /* op0 = x111: scalar FP and Advanced SIMD data processing */
    uint64_t loads;                   /* load/store class (op0 = x1x0) words that read memory */
    uint64_t stores;                  /* load/store class words that write memory */
} coremod_insn_counts_t;

/*
 * Classifies word_count little-endian 32-bit words starting at code (any alignment: the
 * JIT passes its byte buffer directly). Returns false and leaves *out untouched if out is NULL,
 * or code is NULL while word_count > 0; otherwise fills *out completely and returns true.
 */
bool coremod_insn_classify(const void* code, size_t word_count, coremod_insn_counts_t* out);
bool coremod_insn_classify_c(const void* code, size_t word_count, coremod_insn_counts_t* out);

#if COREMOD_KERNELS_HAVE_ASM
/* AVX2 on x86-64 (only call it when coremod_insn_classify_asm_supported()), NEON on AArch64.
 * The dispatched coremod_insn_classify checks AVX2 itself and falls back to the C twin. */
bool coremod_insn_classify_asm(const void* code, size_t word_count, coremod_insn_counts_t* out);
#endif

/* True when coremod_insn_classify_asm may run on this CPU (x86-64: AVX2 usable, which includes
 * the OS saving the YMM state; AArch64: always). False where there is no assembly. */
bool coremod_insn_classify_asm_supported(void);

#endif /* COREMOD_INSN_CLASSIFY_H */
