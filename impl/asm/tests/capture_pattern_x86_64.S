/*
 * capture_pattern_x86_64.S — coremod_test_capture_with_pattern for x86-64 (capture_pattern.h).
 */
#include "asm_macros.h"

#define PATTERN_GPR(r, i) movabs $(0x5EED000000000100 + i), r
#define PATTERN_XMM(n) \
    movabs $(0xBEEF000000000300 + n), %rax CM_SEP push %rax CM_SEP \
    movabs $(0xF00D000000000200 + n), %rax CM_SEP push %rax CM_SEP \
    movdqu (%rsp), %xmm##n CM_SEP add $16, %rsp

CM_FUNC_BEGIN(coremod_test_capture_with_pattern)
    push    %rbx
    push    %rbp
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    sub     $24, %rsp                   /* rsp is 16-byte aligned at the call below */
    stmxcsr 0(%rsp)                     /* caller's MXCSR and x87 control word, restored after */
    fnstcw  4(%rsp)
    mov     %rdx, %r11
    mov     %rsp, 0(%rsi)               /* expected sp: rsp at the call */
    lea     1f(%rip), %rax
    mov     %rax, 8(%rsi)               /* expected pc: the return address */
    movw    $0x077F, 8(%rsp)            /* x87: all exceptions masked, round down */
    fldcw   8(%rsp)
    movq    $0x077F, 16(%rsi)
    movl    $0x5FA1, 8(%rsp)            /* MXCSR: masks, round up, IE and PE flags set */
    ldmxcsr 8(%rsp)
    movq    $0x5FA1, 24(%rsi)
    PATTERN_XMM(0)
    PATTERN_XMM(1)
    PATTERN_XMM(2)
    PATTERN_XMM(3)
    PATTERN_XMM(4)
    PATTERN_XMM(5)
    PATTERN_XMM(6)
    PATTERN_XMM(7)
    PATTERN_XMM(8)
    PATTERN_XMM(9)
    PATTERN_XMM(10)
    PATTERN_XMM(11)
    PATTERN_XMM(12)
    PATTERN_XMM(13)
    PATTERN_XMM(14)
    PATTERN_XMM(15)
    push    $0x8D7                      /* CF PF AF ZF SF OF, and the always-one bit 1 */
    popfq
    /* no flag-changing instruction from here to the call */
    PATTERN_GPR(%rax, 0)
    PATTERN_GPR(%rcx, 1)
    PATTERN_GPR(%rdx, 2)
    PATTERN_GPR(%rbx, 3)
    PATTERN_GPR(%rbp, 5)
    PATTERN_GPR(%rsi, 6)
    PATTERN_GPR(%r8, 8)
    PATTERN_GPR(%r9, 9)
    PATTERN_GPR(%r10, 10)
    PATTERN_GPR(%r12, 12)
    PATTERN_GPR(%r13, 13)
    PATTERN_GPR(%r14, 14)
    PATTERN_GPR(%r15, 15)
    call    *%r11
1:  ldmxcsr 0(%rsp)
    fldcw   4(%rsp)
    add     $24, %rsp
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %rbp
    pop     %rbx
    ret
CM_FUNC_END(coremod_test_capture_with_pattern)

CM_STACK_NOTE
