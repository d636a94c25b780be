/*
 * a64_program.h — builds AArch64 instruction words from the ARM ARM encoding diagrams, and
 * random programs whose expected classifier counts are known by construction (the generator
 * knows what it emitted), independently of the classifier's masks.
 */
#ifndef COREMOD_A64_PROGRAM_H
#define COREMOD_A64_PROGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "insn_classify.h"
#include "kernel_test_support.h"

/* Branch encoders; offsets are in words and must fit the immediate. */
uint32_t a64_b(int32_t offset_words);
uint32_t a64_bl(int32_t offset_words);
uint32_t a64_bcond(unsigned cond, int32_t offset_words);
uint32_t a64_bccond(unsigned cond, int32_t offset_words);
uint32_t a64_cbz(unsigned sf, unsigned nonzero, unsigned rt, int32_t offset_words);
uint32_t a64_tbz(unsigned bit, unsigned nonzero, unsigned rt, int32_t offset_words);
uint32_t a64_br(unsigned rn);
uint32_t a64_blr(unsigned rn);
uint32_t a64_ret(unsigned rn);

/* Range of each immediate branch kind, in words. */
#define A64_IMM26_MIN (-(INT32_C(1) << 25))
#define A64_IMM26_MAX ((INT32_C(1) << 25) - 1)
#define A64_IMM19_MIN (-(INT32_C(1) << 18))
#define A64_IMM19_MAX ((INT32_C(1) << 18) - 1)
#define A64_IMM14_MIN (-(INT32_C(1) << 13))
#define A64_IMM14_MAX ((INT32_C(1) << 13) - 1)

/* Appends one random instruction of a random kind to words[*n] and adds what it must count to
 * *expected (whose total the caller sets). */
void a64_emit_random(test_rng_t* rng, uint32_t* words, size_t* n, coremod_insn_counts_t* expected);

#endif /* COREMOD_A64_PROGRAM_H */
