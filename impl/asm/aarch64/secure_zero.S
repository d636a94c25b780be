/*
 * secure_zero.S (AArch64, AAPCS64) — void coremod_secure_zero_asm(void* p, size_t n).
 * Contract: secure_zero.h. The call is opaque to the compiler, so the stores always happen.
 *
 * n >= 16: one 16-byte STP XZR at p (any alignment: normal memory allows unaligned stores),
 *          then 16-byte aligned STP Q / STR Q from the next 16-byte boundary, and one 16-byte
 *          store ending exactly at p + n. Stores overlap where needed (all write zero), so there
 *          is no byte loop; the aligned body never splits a store across cache lines.
 * 0..15:   two overlapping stores of 8, 4 or 2 bytes (or one byte).
 * Clobbers v0 (caller-saved).
 */
#include "asm_macros.h"

CM_KERNEL_BEGIN(secure_zero)
    cbz     x0, 9f
    cmp     x1, #16
    b.lo    4f
    add     x2, x0, x1                  /* end */
    sub     x4, x2, #16                 /* start of the last 16 bytes */
    stp     xzr, xzr, [x0]
    cmp     x1, #32
    b.ls    3f
    movi    v0.16b, #0
    add     x3, x0, #16
    and     x3, x3, #~15                /* first 16-byte boundary after p (head covers the gap) */
1:  sub     x5, x4, x3
    cmp     x5, #64
    b.lo    2f
    stp     q0, q0, [x3]
    stp     q0, q0, [x3, #32]
    add     x3, x3, #64
    b       1b
2:  cmp     x3, x4
    b.hs    3f
    str     q0, [x3], #16
    b       2b
3:  stp     xzr, xzr, [x4]
    ret
4:  tbz     x1, #3, 5f                  /* 8..15 */
    add     x2, x0, x1
    str     xzr, [x0]
    str     xzr, [x2, #-8]
    ret
5:  tbz     x1, #2, 6f                  /* 4..7 */
    add     x2, x0, x1
    str     wzr, [x0]
    str     wzr, [x2, #-4]
    ret
6:  cbz     x1, 9f                      /* 1..3 */
    strb    wzr, [x0]
    tbz     x1, #1, 9f
    add     x2, x0, x1
    strh    wzr, [x2, #-2]
9:  ret
CM_KERNEL_END(secure_zero)

CM_STACK_NOTE
