/*
 * debug_targets_aarch64.S — targets whose first instruction is PC-relative (debug_targets.h).
 * No bti and no prologue: the breakpoint lands on exactly the instruction named.
 */
    .section .data
    .balign 4
debug_target_adrp_data:
    .word 1000

    .text

/* int debug_target_adrp(int x): x + 1000, the 1000 found through adrp + :lo12:. */
    .globl debug_target_adrp
    .type debug_target_adrp, %function
    .balign 16
debug_target_adrp:
    adrp x1, debug_target_adrp_data
    ldr w1, [x1, #:lo12:debug_target_adrp_data]
    add w0, w0, w1
    ret
    .size debug_target_adrp, . - debug_target_adrp

/* int debug_target_adr(int x): x + 2000, the 2000 found through adr (next to the code). */
    .globl debug_target_adr
    .type debug_target_adr, %function
    .balign 16
debug_target_adr:
    adr x1, 1f
    ldr w1, [x1]
    add w0, w0, w1
    ret
1:  .word 2000
    .size debug_target_adr, . - debug_target_adr

/* int debug_target_ldr_literal(int x): x + 3000, the 3000 loaded by ldr (literal). */
    .globl debug_target_ldr_literal
    .type debug_target_ldr_literal, %function
    .balign 16
debug_target_ldr_literal:
    ldr w1, 1f
    add w0, w0, w1
    ret
1:  .word 3000
    .size debug_target_ldr_literal, . - debug_target_ldr_literal

/* int debug_target_bl(int x): helper (2x) by bl, then + 5; returns through x15, which
 * debug_call_bl set (the bl itself overwrites the link register). */
    .type debug_target_double, %function
    .balign 16
debug_target_double:
    add w0, w0, w0
    ret
    .size debug_target_double, . - debug_target_double

    .globl debug_target_bl
    .type debug_target_bl, %function
    .balign 16
debug_target_bl:
    bl debug_target_double
    add w0, w0, #5
    br x15
    .size debug_target_bl, . - debug_target_bl

/* int debug_call_bl(int x): keeps its own return address on the stack, x15 = where
 * debug_target_bl returns to. */
    .globl debug_call_bl
    .type debug_call_bl, %function
    .balign 16
debug_call_bl:
    stp x29, x30, [sp, #-16]!
    mov x29, sp
    adr x15, 1f
    b debug_target_bl
1:  ldp x29, x30, [sp], #16
    ret
    .size debug_call_bl, . - debug_call_bl

/* int debug_target_cbz(int x): -1 when x == 0, else x + 7. */
    .globl debug_target_cbz
    .type debug_target_cbz, %function
    .balign 16
debug_target_cbz:
    cbz w0, 1f
    add w0, w0, #7
    ret
1:  mov w0, #-1
    ret
    .size debug_target_cbz, . - debug_target_cbz

    .section .note.GNU-stack, "", %progbits
