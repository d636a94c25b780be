/*
 * prefetch_range.S (x86-64, SysV) — size_t coremod_prefetch_range_asm(const void* start,
 *     size_t bytes, size_t stride_bytes, unsigned distance_lines). Contract: prefetch_range.h.
 * One PREFETCHT0 (all cache levels, the analogue of PRFM PLDL1KEEP) per stride.
 */
#include "asm_macros.h"

CM_KERNEL_BEGIN(prefetch_range)
    xor     %eax, %eax
    test    %rdi, %rdi
    jz      9f
    test    %rsi, %rsi
    jz      9f
    test    %rdx, %rdx
    jz      9f
    lea     -1(%rsi), %r8
    add     %rdi, %r8                   /* last byte; carry = the range wraps */
    jc      9f
    mov     %rdx, %r9                   /* stride (div overwrites rdx) */
    mov     %ecx, %r10d                 /* distance: the upper half of rcx is unspecified */
    mov     %rsi, %rax
    xor     %edx, %edx
    div     %r9                         /* rax = bytes / stride, rdx = remainder */
    cmp     $1, %rdx
    sbb     $-1, %rax                   /* + 1 when the remainder is not 0: ceil */
    test    %r10, %r10
    jz      1f
    cmp     %r10, %rax
    cmova   %r10, %rax
1:  mov     %rax, %rcx
2:  prefetcht0 (%rdi)
    add     %r9, %rdi
    dec     %rcx
    jnz     2b
9:  ret
CM_KERNEL_END(prefetch_range)

CM_STACK_NOTE
