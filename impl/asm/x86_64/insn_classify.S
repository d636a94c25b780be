/*
 * insn_classify.S (x86-64, SysV, AVX2) — bool coremod_insn_classify_asm(const void* code,
 *     size_t word_count, coremod_insn_counts_t* out). Contract: insn_classify.h; the rules,
 *     predicate by predicate, are the C twin's (c/insn_classify_c.c) and README.md's.
 * Only call it when AVX2 is usable (coremod_insn_classify_asm_supported()).
 *
 * Method: 8 words per step. Every predicate is a 32-bit lane mask (AND with a field mask, compare
 * with the field value). Counters are pairs of 16-bit counts packed in one dword lane
 * (VPBLENDW picks the low half from one mask and the high half from another, VPSUBW adds 1 to
 * each where the mask is -1), which halves the registers needed: 16 YMM registers hold 8
 * accumulators, a zero and 7 temporaries. A 16-bit count cannot overflow within a block of
 * 32768 steps (2^18 words); after each block the lanes are summed into *out (64-bit).
 * The last 1..7 words are loaded with VPMASKMOVD (masked-off lanes read as 0 and never fault);
 * the word 0 (UDF #0) matches no predicate, so the padding counts nothing.
 *
 * Immediates inside .macro bodies are written $(n): Apple's assembler reads $digit there as a
 * macro argument.
 * Registers: ymm0 words; ymm1-6 temporaries; ymm7 max loop length; ymm8 {conditional, B};
 * ymm9 {BL, BR family}; ymm10 {BLR family, RET family}; ymm11 {loads, stores};
 * ymm12 {SIMD&FP, backward}; ymm13/ymm14 loop length sums (low / high 16 bits of each length);
 * ymm15 zero. rdi cursor, rdx out, r8 words left, r9 steps left in the block.
 */
#include "asm_macros.h"

#define BLOCK_WORDS 262144   /* 32768 steps of 8 words: every 16-bit count stays < 65536 */

/* field offsets in coremod_insn_counts_t */
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

.macro K32 value
    .rept 8
    .long \value
    .endr
.endm

    CM_RODATA
    .p2align 5
cm_classify_k:
k_b_mask:       K32 0xFC000000      /* B / BL: bits 30:26 = 00101, bit 31 = op */
k_b_val:        K32 0x14000000
k_bl_val:       K32 0x94000000
k_bcond_mask:   K32 0xFF000000      /* B.cond / BC.cond: bits 31:24 = 01010100 */
k_bcond_val:    K32 0x54000000
k_cbtb_mask:    K32 0x7E000000      /* bits 30:25: CB 011010, TB 011011 */
k_cb_val:       K32 0x34000000
k_tb_val:       K32 0x36000000
k_br_mask:      K32 0xFEE00000      /* branch (register): bits 31:25 = 1101011, opc 23:21 */
k_br_val:       K32 0xD6000000
k_blr_val:      K32 0xD6200000
k_ret_mask:     K32 0xFFE00000
k_ret_val:      K32 0xD6400000
k_simd:         K32 0x0E000000      /* op0 = x111 */
k_ls_mask:      K32 0x0A000000      /* op0 = x1x0 */
k_ls_val:       K32 0x08000000
k_lit_mask:     K32 0x3B000000      /* load register (literal) */
k_lit_val:      K32 0x18000000
k_pac_mask:     K32 0xFF200400      /* LDRAA / LDRAB */
k_pac_val:      K32 0xF8200400
k_atomic_mask:  K32 0x3F208C00      /* atomic memory operations, o3 = 0 (LDADD..LDUMIN) */
k_atomic_val:   K32 0x38200000
k_swp_mask:     K32 0x3F20FC00      /* SWP: o3 = 1, opc = 000 */
k_swp_val:      K32 0x38208000
k_single_mask:  K32 0x3E000000      /* load/store register, V = 0 */
k_single_val:   K32 0x38000000
k_opc:          K32 0x00C00000
k_bit22:        K32 0x00400000
k_low16:        K32 0x0000FFFF
k_lane_index:   .long 0, 1, 2, 3, 4, 5, 6, 7

/* One step over the 8 words in ymm0. */
.macro CLASSIFY_STEP
    /* immediate branches */
    vpand    k_b_mask(%rip), %ymm0, %ymm1
    vpcmpeqd k_b_val(%rip), %ymm1, %ymm2            /* ymm2 = B */
    vpcmpeqd k_bl_val(%rip), %ymm1, %ymm3           /* ymm3 = BL */
    vpand    k_bcond_mask(%rip), %ymm0, %ymm1
    vpcmpeqd k_bcond_val(%rip), %ymm1, %ymm4        /* ymm4 = B.cond */
    vpand    k_cbtb_mask(%rip), %ymm0, %ymm1
    vpcmpeqd k_cb_val(%rip), %ymm1, %ymm5           /* CBZ/CBNZ */
    vpcmpeqd k_tb_val(%rip), %ymm1, %ymm6           /* ymm6 = TBZ/TBNZ */
    vpor     %ymm5, %ymm4, %ymm4                    /* ymm4 = imm19 branches */
    /* signed offset in words of the branch kind that matched (0 for anything else) */
    vpslld   $(6), %ymm0, %ymm1
    vpsrad   $(6), %ymm1, %ymm1
    vpand    %ymm2, %ymm1, %ymm1                    /* imm26 [25:0], B only */
    vpslld   $(8), %ymm0, %ymm5
    vpsrad   $(13), %ymm5, %ymm5
    vpand    %ymm4, %ymm5, %ymm5                    /* imm19 [23:5] */
    vpor     %ymm5, %ymm1, %ymm1
    vpslld   $(13), %ymm0, %ymm5
    vpsrad   $(18), %ymm5, %ymm5
    vpand    %ymm6, %ymm5, %ymm5                    /* imm14 [18:5] */
    vpor     %ymm5, %ymm1, %ymm1                    /* ymm1 = offset */
    vpor     %ymm6, %ymm4, %ymm4                    /* ymm4 = conditional */
    vpblendw $(0xAA), %ymm2, %ymm4, %ymm5
    vpsubw   %ymm5, %ymm8, %ymm8                    /* {conditional, B} */
    vpcmpgtd %ymm1, %ymm15, %ymm2                   /* ymm2 = backward: 0 > offset */
    vpsubd   %ymm1, %ymm15, %ymm1
    vpand    %ymm2, %ymm1, %ymm1                    /* ymm1 = loop length, 0 if not backward */
    vpand    k_low16(%rip), %ymm1, %ymm5
    vpaddd   %ymm5, %ymm13, %ymm13
    vpsrld   $(16), %ymm1, %ymm5
    vpaddd   %ymm5, %ymm14, %ymm14
    vpmaxud  %ymm1, %ymm7, %ymm7
    /* register branches */
    vpand    k_br_mask(%rip), %ymm0, %ymm1
    vpcmpeqd k_br_val(%rip), %ymm1, %ymm4           /* BR family */
    vpcmpeqd k_blr_val(%rip), %ymm1, %ymm5          /* BLR family */
    vpblendw $(0xAA), %ymm4, %ymm3, %ymm6
    vpsubw   %ymm6, %ymm9, %ymm9                    /* {BL, BR} */
    vpand    k_ret_mask(%rip), %ymm0, %ymm1
    vpcmpeqd k_ret_val(%rip), %ymm1, %ymm1          /* RET family */
    vpblendw $(0xAA), %ymm1, %ymm5, %ymm6
    vpsubw   %ymm6, %ymm10, %ymm10                  /* {BLR, RET} */
    /* SIMD & FP data processing */
    vpand    k_simd(%rip), %ymm0, %ymm1
    vpcmpeqd k_simd(%rip), %ymm1, %ymm1
    vpblendw $(0xAA), %ymm2, %ymm1, %ymm6
    vpsubw   %ymm6, %ymm12, %ymm12                  /* {SIMD&FP, backward} */
    /* loads and stores */
    vpand    k_ls_mask(%rip), %ymm0, %ymm1
    vpcmpeqd k_ls_val(%rip), %ymm1, %ymm1           /* ymm1 = load/store class */
    vpand    k_lit_mask(%rip), %ymm0, %ymm2
    vpcmpeqd k_lit_val(%rip), %ymm2, %ymm2
    vpand    k_pac_mask(%rip), %ymm0, %ymm3
    vpcmpeqd k_pac_val(%rip), %ymm3, %ymm3
    vpor     %ymm3, %ymm2, %ymm2                    /* ymm2 = always a load, never a store */
    vpand    k_atomic_mask(%rip), %ymm0, %ymm3
    vpcmpeqd k_atomic_val(%rip), %ymm3, %ymm3
    vpand    k_swp_mask(%rip), %ymm0, %ymm4
    vpcmpeqd k_swp_val(%rip), %ymm4, %ymm4
    vpor     %ymm4, %ymm3, %ymm3                    /* ymm3 = atomic read-modify-write: both */
    vpand    k_single_mask(%rip), %ymm0, %ymm4
    vpcmpeqd k_single_val(%rip), %ymm4, %ymm4       /* ymm4 = single register, V = 0 */
    vpand    k_opc(%rip), %ymm0, %ymm5
    vpcmpeqd %ymm15, %ymm5, %ymm5                   /* opc == 00 */
    vpand    k_bit22(%rip), %ymm0, %ymm6
    vpcmpeqd %ymm15, %ymm6, %ymm6                   /* L == 0 */
    vpblendvb %ymm4, %ymm5, %ymm6, %ymm5            /* ymm5 = "writes" by opc or by L */
    vpor     %ymm3, %ymm2, %ymm4
    vpandn   %ymm5, %ymm4, %ymm6                    /* writes and neither forced nor atomic */
    vpandn   %ymm1, %ymm6, %ymm6                    /* ymm6 = load */
    vpor     %ymm3, %ymm5, %ymm5
    vpandn   %ymm5, %ymm2, %ymm5
    vpand    %ymm1, %ymm5, %ymm5                    /* ymm5 = store */
    vpblendw $(0xAA), %ymm5, %ymm6, %ymm6
    vpsubw   %ymm6, %ymm11, %ymm11                  /* {loads, stores} */
.endm

/* eax = sum of the 8 dword lanes of ymm\n (each small enough that the sum fits 32 bits). */
.macro HSUM32 n
    vextracti128 $(1), %ymm\n, %xmm6
    vpaddd   %xmm\n, %xmm6, %xmm6
    vpshufd  $(0x4E), %xmm6, %xmm5
    vpaddd   %xmm5, %xmm6, %xmm6
    vpshufd  $(0xB1), %xmm6, %xmm5
    vpaddd   %xmm5, %xmm6, %xmm6
    vmovd    %xmm6, %eax
.endm

/* r10 = sum of the low 16-bit counts of ymm\n, r11 = sum of the high ones. */
.macro PAIR_SUMS n
    vpand    k_low16(%rip), %ymm\n, %ymm1
    HSUM32   1
    mov      %eax, %r10d
    vpsrld   $(16), %ymm\n, %ymm1
    HSUM32   1
    mov      %eax, %r11d
.endm

/* rax = sum of the 8 dword lanes of ymm\n as 64-bit values. */
.macro HSUM64 n
    vextracti128 $(1), %ymm\n, %xmm2
    vpmovzxdq %xmm\n, %ymm1
    vpmovzxdq %xmm2, %ymm2
    vpaddq   %ymm2, %ymm1, %ymm1
    vextracti128 $(1), %ymm1, %xmm2
    vpaddq   %xmm2, %xmm1, %xmm1
    vpshufd  $(0x4E), %xmm1, %xmm2
    vpaddq   %xmm2, %xmm1, %xmm1
    vmovq    %xmm1, %rax
.endm

/* Adds the block's counts into *out and clears the accumulators. */
.macro FLUSH
    PAIR_SUMS 8                                     /* r10 conditional, r11 B */
    add      %r10, O_COND(%rdx)
    add      %r10, O_BRANCHES(%rdx)
    add      %r11, O_UNCOND(%rdx)
    add      %r11, O_BRANCHES(%rdx)
    PAIR_SUMS 9                                     /* r10 BL, r11 BR */
    add      %r10, O_UNCOND(%rdx)
    add      %r10, O_CALLS(%rdx)
    add      %r10, O_BRANCHES(%rdx)
    add      %r11, O_INDIRECT(%rdx)
    add      %r11, O_BRANCHES(%rdx)
    PAIR_SUMS 10                                    /* r10 BLR, r11 RET */
    add      %r10, O_CALLS(%rdx)
    add      %r10, O_INDIRECT(%rdx)
    add      %r10, O_BRANCHES(%rdx)
    add      %r11, O_RETURNS(%rdx)
    add      %r11, O_INDIRECT(%rdx)
    add      %r11, O_BRANCHES(%rdx)
    PAIR_SUMS 12                                    /* r10 SIMD&FP, r11 backward */
    add      %r10, O_SIMD(%rdx)
    add      %r11, O_BACKWARD(%rdx)
    PAIR_SUMS 11                                    /* r10 loads, r11 stores */
    add      %r10, O_LOADS(%rdx)
    add      %r11, O_STORES(%rdx)
    HSUM64   13
    mov      %rax, %r10
    HSUM64   14
    shl      $(16), %rax
    add      %rax, %r10
    add      %r10, O_LOOP_SUM(%rdx)
    vextracti128 $(1), %ymm7, %xmm1
    vpmaxud  %xmm7, %xmm1, %xmm1
    vpshufd  $(0x4E), %xmm1, %xmm2
    vpmaxud  %xmm2, %xmm1, %xmm1
    vpshufd  $(0xB1), %xmm1, %xmm2
    vpmaxud  %xmm2, %xmm1, %xmm1
    vmovd    %xmm1, %eax
    mov      O_LOOP_MAX(%rdx), %r10
    cmp      %r10, %rax
    cmovb    %r10, %rax
    mov      %rax, O_LOOP_MAX(%rdx)
    vpxor    %ymm7, %ymm7, %ymm7
    vpxor    %ymm8, %ymm8, %ymm8
    vpxor    %ymm9, %ymm9, %ymm9
    vpxor    %ymm10, %ymm10, %ymm10
    vpxor    %ymm11, %ymm11, %ymm11
    vpxor    %ymm12, %ymm12, %ymm12
    vpxor    %ymm13, %ymm13, %ymm13
    vpxor    %ymm14, %ymm14, %ymm14
.endm

/* Not CM_KERNEL_BEGIN: the dispatched name is C (insn_classify_dispatch.c), which checks AVX2. */
CM_FUNC_BEGIN(coremod_insn_classify_asm)
    test     %rdx, %rdx
    jz       8f
    test     %rsi, %rsi
    jz       1f
    test     %rdi, %rdi
    jz       8f
1:  vpxor    %ymm15, %ymm15, %ymm15
    vmovdqu  %ymm15, 0(%rdx)
    vmovdqu  %ymm15, 32(%rdx)
    vmovdqu  %ymm15, 64(%rdx)
    movq     $0, 96(%rdx)
    mov      %rsi, O_TOTAL(%rdx)
    vpxor    %ymm7, %ymm7, %ymm7
    vpxor    %ymm8, %ymm8, %ymm8
    vpxor    %ymm9, %ymm9, %ymm9
    vpxor    %ymm10, %ymm10, %ymm10
    vpxor    %ymm11, %ymm11, %ymm11
    vpxor    %ymm12, %ymm12, %ymm12
    vpxor    %ymm13, %ymm13, %ymm13
    vpxor    %ymm14, %ymm14, %ymm14
    mov      %rsi, %r8
2:  cmp      $8, %r8
    jb       5f
    mov      %r8, %r9
    and      $-8, %r9
    mov      $BLOCK_WORDS, %ecx
    cmp      %rcx, %r9
    cmova    %rcx, %r9
    sub      %r9, %r8
    shr      $3, %r9
3:  vmovdqu  (%rdi), %ymm0
    CLASSIFY_STEP
    add      $32, %rdi
    dec      %r9
    jnz      3b
    FLUSH
    jmp      2b
5:  test     %r8, %r8
    jz       7f
    vmovd    %r8d, %xmm1
    vpbroadcastd %xmm1, %ymm1
    vpcmpgtd k_lane_index(%rip), %ymm1, %ymm1       /* lane i enabled when i < words left */
    vpmaskmovd (%rdi), %ymm1, %ymm0
    CLASSIFY_STEP
    FLUSH
7:  vzeroupper
    mov      $1, %eax
    ret
8:  xor      %eax, %eax
    ret
CM_FUNC_END(coremod_insn_classify_asm)

CM_STACK_NOTE
