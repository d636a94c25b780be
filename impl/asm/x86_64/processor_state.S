/*
 * processor_state.S (x86-64, SysV) — void coremod_capture_processor_state_asm(
 *     coremod_processor_state_t* out). Contract and register mapping: processor_state.h.
 * RFLAGS is saved first, before any instruction here can change it. Like any call it may
 * clobber caller-saved registers (rax, rcx, xmm0), after they have been stored.
 */
#include "asm_macros.h"

CM_KERNEL_BEGIN(capture_processor_state)
    pushfq                              /* flags as the caller left them */
    test    %rdi, %rdi
    jz      8f
    mov     %rax, 0(%rdi)               /* x[i] = the register whose encoding number is i */
    mov     %rcx, 8(%rdi)
    mov     %rdx, 16(%rdi)
    mov     %rbx, 24(%rdi)
    lea     16(%rsp), %rax              /* caller's rsp: above our pushfq and the return address */
    mov     %rax, 32(%rdi)
    mov     %rax, 248(%rdi)             /* sp */
    mov     %rbp, 40(%rdi)
    mov     %rsi, 48(%rdi)
    mov     %rdi, 56(%rdi)
    mov     %r8, 64(%rdi)
    mov     %r9, 72(%rdi)
    mov     %r10, 80(%rdi)
    mov     %r11, 88(%rdi)
    mov     %r12, 96(%rdi)
    mov     %r13, 104(%rdi)
    mov     %r14, 112(%rdi)
    mov     %r15, 120(%rdi)
    mov     8(%rsp), %rax               /* return address */
    mov     %rax, 256(%rdi)             /* pc */
    mov     (%rsp), %rax
    mov     %rax, 264(%rdi)             /* pstate = RFLAGS */
    movdqu  %xmm0, 272(%rdi)
    movdqu  %xmm1, 288(%rdi)
    movdqu  %xmm2, 304(%rdi)
    movdqu  %xmm3, 320(%rdi)
    movdqu  %xmm4, 336(%rdi)
    movdqu  %xmm5, 352(%rdi)
    movdqu  %xmm6, 368(%rdi)
    movdqu  %xmm7, 384(%rdi)
    movdqu  %xmm8, 400(%rdi)
    movdqu  %xmm9, 416(%rdi)
    movdqu  %xmm10, 432(%rdi)
    movdqu  %xmm11, 448(%rdi)
    movdqu  %xmm12, 464(%rdi)
    movdqu  %xmm13, 480(%rdi)
    movdqu  %xmm14, 496(%rdi)
    movdqu  %xmm15, 512(%rdi)
    xor     %eax, %eax                  /* x[16..30] (128..247) and v[16..31] (528..783): 0 */
    lea     128(%rdi), %rcx
    lea     248(%rdi), %rdx
2:  mov     %rax, (%rcx)
    add     $8, %rcx
    cmp     %rdx, %rcx
    jb      2b
    lea     528(%rdi), %rcx
    lea     784(%rdi), %rdx
3:  mov     %rax, (%rcx)
    add     $8, %rcx
    cmp     %rdx, %rcx
    jb      3b
    mov     %rax, 784(%rdi)
    fnstcw  784(%rdi)                   /* fpcr = x87 control word (16 bits, rest 0) */
    mov     %rax, 792(%rdi)
    stmxcsr 792(%rdi)                   /* fpsr = MXCSR (32 bits, rest 0) */
8:  add     $8, %rsp                    /* drop the saved flags */
    ret
CM_KERNEL_END(capture_processor_state)

CM_STACK_NOTE
