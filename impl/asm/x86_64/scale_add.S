/*
 * scale_add.S (x86-64, SysV) — void coremod_scale_add_f32_asm(const float* in, float* out,
 *     size_t n): out[i] = in[i] * 2.0f + 1.0f. Contract: scale_add.h.
 * SSE (the x86-64 baseline, so no CPU check): MULPS then ADDPS, 16 floats per iteration, then
 * 4 per step, then MULSS/ADDSS for the tail. No FMA: bit-identical to the C twin.
 */
#include "asm_macros.h"

CM_KERNEL_BEGIN(scale_add_f32)
    test    %rdi, %rdi
    jz      9f
    test    %rsi, %rsi
    jz      9f
    mov     $0x40000000, %eax           /* 2.0f */
    movd    %eax, %xmm6
    pshufd  $0, %xmm6, %xmm6
    mov     $0x3F800000, %eax           /* 1.0f */
    movd    %eax, %xmm7
    pshufd  $0, %xmm7, %xmm7
    xor     %ecx, %ecx                  /* element index */
    mov     %rdx, %r8
    and     $-16, %r8
    jz      2f
1:  movups  (%rdi,%rcx,4), %xmm0
    movups  16(%rdi,%rcx,4), %xmm1
    movups  32(%rdi,%rcx,4), %xmm2
    movups  48(%rdi,%rcx,4), %xmm3
    mulps   %xmm6, %xmm0
    mulps   %xmm6, %xmm1
    mulps   %xmm6, %xmm2
    mulps   %xmm6, %xmm3
    addps   %xmm7, %xmm0
    addps   %xmm7, %xmm1
    addps   %xmm7, %xmm2
    addps   %xmm7, %xmm3
    movups  %xmm0, (%rsi,%rcx,4)
    movups  %xmm1, 16(%rsi,%rcx,4)
    movups  %xmm2, 32(%rsi,%rcx,4)
    movups  %xmm3, 48(%rsi,%rcx,4)
    add     $16, %rcx
    cmp     %r8, %rcx
    jb      1b
2:  mov     %rdx, %r8
    and     $-4, %r8
    cmp     %r8, %rcx
    jae     4f
3:  movups  (%rdi,%rcx,4), %xmm0
    mulps   %xmm6, %xmm0
    addps   %xmm7, %xmm0
    movups  %xmm0, (%rsi,%rcx,4)
    add     $4, %rcx
    cmp     %r8, %rcx
    jb      3b
4:  cmp     %rdx, %rcx
    jae     9f
5:  movss   (%rdi,%rcx,4), %xmm0
    mulss   %xmm6, %xmm0
    addss   %xmm7, %xmm0
    movss   %xmm0, (%rsi,%rcx,4)
    inc     %rcx
    cmp     %rdx, %rcx
    jb      5b
9:  ret
CM_KERNEL_END(scale_add_f32)

CM_STACK_NOTE
