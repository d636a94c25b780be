/*
 * scale_add.h — the document's NEON example (process_data_with_neon): out[i] = in[i] * 2 + 1.
 * The compute_engine fixture's kernel.
 *
 * Every version multiplies and then adds, each rounded to float (round to nearest even) —
 * never a fused multiply-add — so the assembly and the C twin are bit-identical for every
 * input, NaN payloads included. The C twin is compiled with -ffp-contract=off for that reason.
 * Assembly: NEON FMUL/FADD on 4 floats per step on AArch64, SSE MULPS/ADDPS (x86-64 baseline,
 * so no CPU check is needed) on x86-64; both finish with a scalar tail.
 */
#ifndef COREMOD_SCALE_ADD_H
#define COREMOD_SCALE_ADD_H

#include <stddef.h>

#include "kernel_arch.h"

/* in and out may be the same array (in-place) but must not otherwise overlap; any alignment.
 * n == 0, in == NULL or out == NULL: does nothing. */
void coremod_scale_add_f32(const float* in, float* out, size_t n);
void coremod_scale_add_f32_c(const float* in, float* out, size_t n);
#if COREMOD_KERNELS_HAVE_ASM
void coremod_scale_add_f32_asm(const float* in, float* out, size_t n);
#endif

#endif /* COREMOD_SCALE_ADD_H */
