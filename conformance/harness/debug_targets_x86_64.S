/*
 * debug_targets_x86_64.S — targets whose first instruction is PC-relative (debug_targets.h).
 * No endbr64 and no prologue: the breakpoint lands on exactly the instruction named.
 */
    .section .data
    .balign 4
debug_target_rip_data:
    .long 1000

    .text

/* int debug_target_rip_load(int x): x + 1000, the 1000 read RIP-relative. */
    .globl debug_target_rip_load
    .type debug_target_rip_load, @function
    .balign 16
debug_target_rip_load:
    movl debug_target_rip_data(%rip), %eax
    addl %edi, %eax
    ret
    .size debug_target_rip_load, . - debug_target_rip_load

/* int debug_target_call_rel32(int x): helper (2x) by call rel32, then + 5. */
    .type debug_target_double, @function
    .balign 16
debug_target_double:
    leal (%rdi,%rdi), %eax
    ret
    .size debug_target_double, . - debug_target_double

    .globl debug_target_call_rel32
    .type debug_target_call_rel32, @function
    .balign 16
debug_target_call_rel32:
    call debug_target_double
    addl $5, %eax
    ret
    .size debug_target_call_rel32, . - debug_target_call_rel32

/* int debug_target_jcc(int x): entered with the flags of `test %edi, %edi` (debug_call_jcc);
 * -1 when x == 0, else x + 7. The taken path jumps rel8 forward. */
    .globl debug_target_jcc
    .type debug_target_jcc, @function
    .balign 16
debug_target_jcc:
    je 1f
    leal 7(%rdi), %eax
    ret
1:  movl $-1, %eax
    ret
    .size debug_target_jcc, . - debug_target_jcc

/* int debug_call_jcc(int x): sets the flags debug_target_jcc tests, then calls it. */
    .globl debug_call_jcc
    .type debug_call_jcc, @function
    .balign 16
debug_call_jcc:
    subq $8, %rsp
    testl %edi, %edi
    call debug_target_jcc
    addq $8, %rsp
    ret
    .size debug_call_jcc, . - debug_call_jcc

    .section .note.GNU-stack, "", @progbits
