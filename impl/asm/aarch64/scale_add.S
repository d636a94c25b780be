/*
 * scale_add.S (AArch64, AAPCS64) — void coremod_scale_add_f32_asm(const float* in, float* out,
 *     size_t n): out[i] = in[i] * 2.0f + 1.0f. Contract: scale_add.h.
 * The document's NEON example: FMUL then FADD (no FMLA, so bit-identical to the C twin),
 * 16 floats per iteration (4 registers of 4), then 4 per step, then a scalar tail.
 * Uses v0-v3, v30, v31 (caller-saved).
 */
#include "asm_macros.h"

CM_KERNEL_BEGIN(scale_add_f32)
    cbz     x0, 9f
    cbz     x1, 9f
    fmov    v30.4s, #2.0
    fmov    v31.4s, #1.0
    lsr     x3, x2, #4
    cbz     x3, 2f
1:  ld1     {v0.4s, v1.4s, v2.4s, v3.4s}, [x0], #64
    fmul    v0.4s, v0.4s, v30.4s
    fmul    v1.4s, v1.4s, v30.4s
    fmul    v2.4s, v2.4s, v30.4s
    fmul    v3.4s, v3.4s, v30.4s
    fadd    v0.4s, v0.4s, v31.4s
    fadd    v1.4s, v1.4s, v31.4s
    fadd    v2.4s, v2.4s, v31.4s
    fadd    v3.4s, v3.4s, v31.4s
    st1     {v0.4s, v1.4s, v2.4s, v3.4s}, [x1], #64
    subs    x3, x3, #1
    b.ne    1b
2:  ubfx    x3, x2, #2, #2              /* remaining groups of 4 (0..3) */
    cbz     x3, 4f
3:  ld1     {v0.4s}, [x0], #16
    fmul    v0.4s, v0.4s, v30.4s
    fadd    v0.4s, v0.4s, v31.4s
    st1     {v0.4s}, [x1], #16
    subs    x3, x3, #1
    b.ne    3b
4:  ands    x3, x2, #3
    b.eq    9f
5:  ldr     s0, [x0], #4
    fmul    s0, s0, s30
    fadd    s0, s0, s31
    str     s0, [x1], #4
    subs    x3, x3, #1
    b.ne    5b
9:  ret
CM_KERNEL_END(scale_add_f32)

CM_STACK_NOTE
