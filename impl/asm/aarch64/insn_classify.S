/*
 * insn_classify.S (AArch64, AAPCS64, NEON) — bool coremod_insn_classify_asm(const void* code,
 *     size_t word_count, coremod_insn_counts_t* out). Contract: insn_classify.h; the rules,
 *     predicate by predicate, are the C twin's (c/insn_classify_c.c) and README.md's.
 *
 * Method: 4 words per step (one Q register). Each predicate is a 32-bit lane mask (AND + CMEQ,
 * or CMTST for "any of these bits"). Counters are pairs of 16-bit counts packed in one lane
 * (TRN1 .8h interleaves the low halves of two masks; SUB .8h adds 1 where a mask is -1), so the
 * accumulators fit beside the constants without touching the callee-saved v8-v15. Blocks of
 * 32768 steps (2^17 words) keep every 16-bit count below 65536; after each block the lanes are
 * summed into *out (64-bit). Loop lengths are summed in 64-bit lanes (UADDW/UADDW2).
 * The last 1..3 words are loaded lane by lane into a zeroed register; the word 0 (UDF #0)
 * matches no predicate, so the padding counts nothing.
 *
 * Registers: v0 words; v1-v7 temporaries; v16 {conditional, B}; v17 {BL, BR family};
 * v18 {BLR family, RET family}; v19 {loads, stores}; v20 {SIMD&FP, backward};
 * v21/v22 loop length sums (2 x 64-bit each); v23 max loop length;
 * v24-v31, v8, v9 constants that MOVI cannot build (the low halves of v8/v9 are callee-saved:
 * saved on entry, restored on exit). x0 cursor, x2 out, x8 words left, x9 steps left.
 */
#include "asm_macros.h"

#define BLOCK_WORDS 131072   /* 32768 steps of 4 words: every 16-bit count stays < 65536 */

#define O_TOTAL 0
#define O_BRANCHES 8
#define O_COND 16
#define O_UNCOND 24
#define O_CALLS 32
#define O_RETURNS 40
#define O_INDIRECT 48
#define O_BACKWARD 56
#define O_LOOP_SUM 64
#define O_LOOP_MAX 72
#define O_SIMD 80
#define O_LOADS 88
#define O_STORES 96

/* One step over the 4 words in v0. */
.macro CLASSIFY_STEP
    /* immediate branches */
    movi    v1.4s, #0xFC, lsl #24
    and     v1.16b, v0.16b, v1.16b
    movi    v2.4s, #0x14, lsl #24
    cmeq    v2.4s, v1.4s, v2.4s                 /* v2 = B */
    movi    v3.4s, #0x94, lsl #24
    cmeq    v3.4s, v1.4s, v3.4s                 /* v3 = BL */
    movi    v1.4s, #0xFF, lsl #24
    and     v1.16b, v0.16b, v1.16b
    movi    v4.4s, #0x54, lsl #24
    cmeq    v4.4s, v1.4s, v4.4s                 /* v4 = B.cond / BC.cond */
    movi    v1.4s, #0x7E, lsl #24
    and     v1.16b, v0.16b, v1.16b
    movi    v5.4s, #0x34, lsl #24
    cmeq    v5.4s, v1.4s, v5.4s                 /* CBZ / CBNZ */
    movi    v6.4s, #0x36, lsl #24
    cmeq    v6.4s, v1.4s, v6.4s                 /* v6 = TBZ / TBNZ */
    orr     v4.16b, v4.16b, v5.16b              /* v4 = imm19 branches */
    /* signed offset in words of the branch kind that matched (0 for anything else) */
    shl     v1.4s, v0.4s, #6
    sshr    v1.4s, v1.4s, #6
    and     v1.16b, v1.16b, v2.16b              /* imm26 [25:0], B only */
    shl     v5.4s, v0.4s, #8
    sshr    v5.4s, v5.4s, #13
    and     v5.16b, v5.16b, v4.16b              /* imm19 [23:5] */
    orr     v1.16b, v1.16b, v5.16b
    shl     v5.4s, v0.4s, #13
    sshr    v5.4s, v5.4s, #18
    and     v5.16b, v5.16b, v6.16b              /* imm14 [18:5] */
    orr     v1.16b, v1.16b, v5.16b              /* v1 = offset */
    orr     v4.16b, v4.16b, v6.16b              /* v4 = conditional */
    trn1    v5.8h, v4.8h, v2.8h
    sub     v16.8h, v16.8h, v5.8h               /* {conditional, B} */
    cmlt    v2.4s, v1.4s, #0                    /* v2 = backward */
    neg     v1.4s, v1.4s
    and     v1.16b, v1.16b, v2.16b              /* v1 = loop length, 0 if not backward */
    uaddw   v21.2d, v21.2d, v1.2s
    uaddw2  v22.2d, v22.2d, v1.4s
    umax    v23.4s, v23.4s, v1.4s
    /* register branches */
    and     v1.16b, v0.16b, v24.16b             /* & 0xFEE00000 */
    movi    v4.4s, #0xD6, lsl #24
    cmeq    v4.4s, v1.4s, v4.4s                 /* BR family */
    cmeq    v5.4s, v1.4s, v25.4s                /* BLR family */
    trn1    v6.8h, v3.8h, v4.8h
    sub     v17.8h, v17.8h, v6.8h               /* {BL, BR} */
    and     v1.16b, v0.16b, v26.16b
    cmeq    v1.4s, v1.4s, v27.4s                /* RET family */
    trn1    v6.8h, v5.8h, v1.8h
    sub     v18.8h, v18.8h, v6.8h               /* {BLR, RET} */
    /* SIMD & FP data processing */
    movi    v1.4s, #0x0E, lsl #24
    and     v3.16b, v0.16b, v1.16b
    cmeq    v3.4s, v3.4s, v1.4s
    trn1    v6.8h, v3.8h, v2.8h
    sub     v20.8h, v20.8h, v6.8h               /* {SIMD&FP, backward} */
    /* loads and stores */
    movi    v1.4s, #0x0A, lsl #24
    and     v1.16b, v0.16b, v1.16b
    movi    v2.4s, #0x08, lsl #24
    cmeq    v1.4s, v1.4s, v2.4s                 /* v1 = load/store class */
    movi    v2.4s, #0x3B, lsl #24
    and     v2.16b, v0.16b, v2.16b
    movi    v3.4s, #0x18, lsl #24
    cmeq    v2.4s, v2.4s, v3.4s                 /* literal */
    and     v3.16b, v0.16b, v28.16b
    cmeq    v3.4s, v3.4s, v29.4s                /* LDRAA / LDRAB */
    orr     v2.16b, v2.16b, v3.16b              /* v2 = always a load, never a store */
    and     v3.16b, v0.16b, v30.16b
    cmeq    v3.4s, v3.4s, v31.4s
    and     v5.16b, v0.16b, v8.16b
    cmeq    v5.4s, v5.4s, v9.4s                 /* SWP */
    orr     v3.16b, v3.16b, v5.16b              /* v3 = atomic read-modify-write: both */
    movi    v4.4s, #0x3E, lsl #24
    and     v4.16b, v0.16b, v4.16b
    movi    v5.4s, #0x38, lsl #24
    cmeq    v4.4s, v4.4s, v5.4s                 /* v4 = single register, V = 0 */
    movi    v5.4s, #0xC0, lsl #16
    cmtst   v5.4s, v0.4s, v5.4s                 /* opc != 00 */
    movi    v6.4s, #0x40, lsl #16
    cmtst   v6.4s, v0.4s, v6.4s                 /* L == 1 */
    bsl     v4.16b, v5.16b, v6.16b              /* v4 = "reads" by opc or by L */
    orr     v5.16b, v2.16b, v3.16b
    orr     v5.16b, v5.16b, v4.16b
    and     v5.16b, v5.16b, v1.16b              /* v5 = load */
    bic     v6.16b, v4.16b, v3.16b
    orr     v6.16b, v6.16b, v2.16b
    bic     v6.16b, v1.16b, v6.16b              /* v6 = store */
    trn1    v7.8h, v5.8h, v6.8h
    sub     v19.8h, v19.8h, v7.8h               /* {loads, stores} */
.endm

/* x10 = sum of the low 16-bit counts of v\n, x11 = sum of the high ones. */
.macro PAIR_SUMS n
    xtn     v1.4h, v\n\().4s
    uaddlv  s1, v1.4h
    fmov    w10, s1
    shrn    v2.4h, v\n\().4s, #16
    uaddlv  s2, v2.4h
    fmov    w11, s2
.endm

/* out->field += reg */
.macro ADD_FIELD offset, reg
    ldr     x12, [x2, #\offset]
    add     x12, x12, \reg
    str     x12, [x2, #\offset]
.endm

/* Adds the block's counts into *out and clears the accumulators. */
.macro FLUSH
    PAIR_SUMS 16                                /* x10 conditional, x11 B */
    ADD_FIELD O_COND, x10
    ADD_FIELD O_UNCOND, x11
    add     x13, x10, x11                       /* x13 = branches in this block */
    PAIR_SUMS 17                                /* x10 BL, x11 BR */
    ADD_FIELD O_UNCOND, x10
    ADD_FIELD O_CALLS, x10
    ADD_FIELD O_INDIRECT, x11
    add     x13, x13, x10
    add     x13, x13, x11
    PAIR_SUMS 18                                /* x10 BLR, x11 RET */
    ADD_FIELD O_CALLS, x10
    ADD_FIELD O_INDIRECT, x10
    ADD_FIELD O_RETURNS, x11
    ADD_FIELD O_INDIRECT, x11
    add     x13, x13, x10
    add     x13, x13, x11
    ADD_FIELD O_BRANCHES, x13
    PAIR_SUMS 20                                /* x10 SIMD&FP, x11 backward */
    ADD_FIELD O_SIMD, x10
    ADD_FIELD O_BACKWARD, x11
    PAIR_SUMS 19                                /* x10 loads, x11 stores */
    ADD_FIELD O_LOADS, x10
    ADD_FIELD O_STORES, x11
    add     v21.2d, v21.2d, v22.2d
    addp    d1, v21.2d
    fmov    x10, d1
    ADD_FIELD O_LOOP_SUM, x10
    umaxv   s1, v23.4s
    fmov    w10, s1
    ldr     x12, [x2, #O_LOOP_MAX]
    cmp     x10, x12
    csel    x12, x10, x12, hi
    str     x12, [x2, #O_LOOP_MAX]
    movi    v16.16b, #0
    movi    v17.16b, #0
    movi    v18.16b, #0
    movi    v19.16b, #0
    movi    v20.16b, #0
    movi    v21.16b, #0
    movi    v22.16b, #0
    movi    v23.16b, #0
.endm

CM_KERNEL_BEGIN(insn_classify)
    cbz     x2, 8f
    cbz     x1, 1f
    cbz     x0, 8f
1:  stp     xzr, xzr, [x2, #0]
    stp     xzr, xzr, [x2, #16]
    stp     xzr, xzr, [x2, #32]
    stp     xzr, xzr, [x2, #48]
    stp     xzr, xzr, [x2, #64]
    stp     xzr, xzr, [x2, #80]
    str     xzr, [x2, #96]
    str     x1, [x2, #O_TOTAL]
    mov     w9, #0xFEE00000
    dup     v24.4s, w9                          /* branch (register) opc mask */
    mov     w9, #0xD6200000
    dup     v25.4s, w9                          /* BLR family */
    mov     w9, #0xFFE00000
    dup     v26.4s, w9                          /* RET family mask */
    mov     w9, #0xD6400000
    dup     v27.4s, w9                          /* RET family */
    mov     w9, #0x0400
    movk    w9, #0xFF20, lsl #16
    dup     v28.4s, w9                          /* LDRAA/LDRAB mask */
    mov     w9, #0x0400
    movk    w9, #0xF820, lsl #16
    dup     v29.4s, w9                          /* LDRAA/LDRAB */
    mov     w9, #0x8C00
    movk    w9, #0x3F20, lsl #16
    dup     v30.4s, w9                          /* atomic, o3 = 0: mask */
    mov     w9, #0x38200000
    dup     v31.4s, w9                          /* atomic, o3 = 0 */
    stp     d8, d9, [sp, #-16]!
    mov     w9, #0xFC00
    movk    w9, #0x3F20, lsl #16
    dup     v8.4s, w9                           /* SWP: mask */
    mov     w9, #0x8000
    movk    w9, #0x3820, lsl #16
    dup     v9.4s, w9                           /* SWP */
    movi    v16.16b, #0
    movi    v17.16b, #0
    movi    v18.16b, #0
    movi    v19.16b, #0
    movi    v20.16b, #0
    movi    v21.16b, #0
    movi    v22.16b, #0
    movi    v23.16b, #0
    mov     x8, x1
2:  cmp     x8, #4
    b.lo    5f
    and     x9, x8, #~3
    mov     x10, #BLOCK_WORDS
    cmp     x9, x10
    csel    x9, x10, x9, hi
    sub     x8, x8, x9
    lsr     x9, x9, #2
3:  ld1     {v0.4s}, [x0], #16
    CLASSIFY_STEP
    subs    x9, x9, #1
    b.ne    3b
    FLUSH
    b       2b
5:  cbz     x8, 7f
    movi    v0.16b, #0
    ld1     {v0.s}[0], [x0], #4
    cmp     x8, #2
    b.lo    6f
    ld1     {v0.s}[1], [x0], #4
    cmp     x8, #3
    b.lo    6f
    ld1     {v0.s}[2], [x0]
6:  CLASSIFY_STEP
    FLUSH
7:  ldp     d8, d9, [sp], #16
    mov     w0, #1
    ret
8:  mov     w0, #0
    ret
CM_KERNEL_END(insn_classify)

CM_STACK_NOTE
