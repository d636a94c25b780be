/*
 * prefetch_range.S (AArch64, AAPCS64) — size_t coremod_prefetch_range_asm(const void* start,
 *     size_t bytes, size_t stride_bytes, unsigned distance_lines). Contract: prefetch_range.h.
 * One PRFM PLDL1KEEP (prefetch for load into L1, normal retention) per stride.
 */
#include "asm_macros.h"

CM_KERNEL_BEGIN(prefetch_range)
    mov     x8, x0
    mov     x0, #0
    cbz     x8, 9f
    cbz     x1, 9f
    cbz     x2, 9f
    sub     x4, x1, #1
    adds    x4, x4, x8                  /* last byte; carry = the range wraps */
    b.cs    9f
    udiv    x5, x1, x2
    msub    x6, x5, x2, x1              /* remainder */
    cmp     x6, #0
    cinc    x5, x5, ne                  /* ceil(bytes / stride) */
    mov     w3, w3                      /* zero-extend: the upper half of x3 is unspecified */
    cbz     x3, 1f
    cmp     x5, x3
    csel    x5, x3, x5, hi
1:  mov     x0, x5
2:  prfm    pldl1keep, [x8]
    add     x8, x8, x2
    subs    x5, x5, #1
    b.ne    2b
9:  ret
CM_KERNEL_END(prefetch_range)

CM_STACK_NOTE
