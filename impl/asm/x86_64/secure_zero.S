/*
 * secure_zero.S (x86-64, SysV) — void coremod_secure_zero_asm(void* p, size_t n).
 * Contract: secure_zero.h. The call is opaque to the compiler, so the stores always happen.
 *
 * n >= 256: REP STOSB, which fast-string CPUs (ERMS) run at full store bandwidth with their own
 *           alignment handling; its start-up cost (~tens of cycles) is why small sizes avoid it.
 * 16..255:  16-byte SSE stores from the start, plus one 16-byte store ending exactly at p + n;
 *           stores may overlap (all write zero), so no alignment or remainder loop is needed.
 * 0..15:    two overlapping stores of 8, 4 or 2 bytes (or one byte).
 */
#include "asm_macros.h"

CM_KERNEL_BEGIN(secure_zero)
    test    %rdi, %rdi
    jz      9f
    cmp     $16, %rsi
    jb      4f
    cmp     $256, %rsi
    jae     3f
    pxor    %xmm0, %xmm0
    lea     -16(%rdi,%rsi), %rcx        /* start of the last 16 bytes */
    movdqu  %xmm0, (%rcx)
1:  movdqu  %xmm0, (%rdi)
    add     $16, %rdi
    cmp     %rcx, %rdi
    jb      1b
    ret
3:  mov     %rsi, %rcx
    xor     %eax, %eax
    rep stosb                           /* DF is clear at every call (SysV ABI) */
    ret
4:  cmp     $8, %rsi
    jb      5f
    movq    $0, (%rdi)
    movq    $0, -8(%rdi,%rsi)
    ret
5:  cmp     $4, %rsi
    jb      6f
    movl    $0, (%rdi)
    movl    $0, -4(%rdi,%rsi)
    ret
6:  test    %rsi, %rsi
    jz      9f
    movb    $0, (%rdi)
    cmp     $2, %rsi
    jb      9f
    movw    $0, -2(%rdi,%rsi)
9:  ret
CM_KERNEL_END(secure_zero)

CM_STACK_NOTE
