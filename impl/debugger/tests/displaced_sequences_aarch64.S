/*
 * displaced_sequences_aarch64.S — instruction sequences for test_displaced.c: each function takes
 * an argument in x0 and returns a value in x0; the global label bp_<name>_at is the instruction
 * the test breakpoints. Covers every PC-relative form the engine emulates, and ordinary ones.
 */
    .text
#define SEQUENCE(name) .globl seq_##name; .type seq_##name, %function; seq_##name:
#define AT(name) .globl bp_##name##_at; bp_##name##_at:

SEQUENCE(plain)
AT(plain)
    add x0, x0, x0, lsl #1
    ret

SEQUENCE(ret)
    add x0, x0, #5
AT(ret)
    ret

SEQUENCE(push)
AT(push)
    str x0, [sp, #-16]!
    ldr x0, [sp], #16
    add x0, x0, #2
    ret

SEQUENCE(adr)
AT(adr)
    adr x1, 1f
    ldr x1, [x1]
    add x0, x0, x1
    ret
    .balign 8
1:  .quad 4321

SEQUENCE(adrp)
AT(adrp)
    adrp x1, sequence_data
    add x1, x1, :lo12:sequence_data
    ldr x1, [x1]
    add x0, x0, x1
    ret

SEQUENCE(ldr_x)
AT(ldr_x)
    ldr x1, 1f
    add x0, x0, x1
    ret
    .balign 8
1:  .quad 0x123456789

SEQUENCE(ldr_w)
    mov x1, #-1
AT(ldr_w)
    ldr w1, 1f /* zero-extends: x1 = 0xfffffff0 */
    add x0, x0, x1
    ret
    .balign 4
1:  .long 0xfffffff0

SEQUENCE(ldrsw)
AT(ldrsw)
    ldrsw x1, 1f /* sign-extends: x1 = -16 */
    add x0, x0, x1
    ret
    .balign 4
1:  .long 0xfffffff0

SEQUENCE(ldr_d)
AT(ldr_d)
    ldr d1, 1f
    fmov x1, d1
    add x0, x0, x1
    ret
    .balign 8
1:  .quad 777

SEQUENCE(ldr_q)
    movi v1.2d, #0
AT(ldr_q)
    ldr q1, 1f
    mov x1, v1.d[1]
    add x0, x0, x1
    mov x1, v1.d[0]
    add x0, x0, x1
    ret
    .balign 16
1:  .quad 11
    .quad 2200

SEQUENCE(prfm)
AT(prfm)
    prfm pldl1keep, 1f
    add x0, x0, #1
    ret
1:  .quad 0

SEQUENCE(b)
AT(b)
    b 1f
    add x0, x0, #100
1:  ret

SEQUENCE(bl)
    stp x29, x30, [sp, #-16]!
AT(bl)
    bl sequence_add_ten
    add x0, x0, #1
    ldp x29, x30, [sp], #16
    ret

sequence_add_ten:
    add x0, x0, #10
    ret

SEQUENCE(blr)
    stp x29, x30, [sp, #-16]!
    adr x2, sequence_add_ten
AT(blr)
    blr x2
    add x0, x0, #1
    ldp x29, x30, [sp], #16
    ret

SEQUENCE(bcond)
    tst x0, #1
AT(bcond)
    b.ne 1f
    add x0, x0, #1000
1:  ret

SEQUENCE(cbz)
    and x1, x0, #1
AT(cbz)
    cbz x1, 1f
    add x0, x0, #7
1:  ret

SEQUENCE(cbnz)
    and w1, w0, #2
AT(cbnz)
    cbnz w1, 1f
    add x0, x0, #7
1:  ret

SEQUENCE(tbz)
AT(tbz)
    tbz x0, #2, 1f
    add x0, x0, #9
1:  ret

SEQUENCE(tbnz)
AT(tbnz)
    tbnz w0, #3, 1f
    add x0, x0, #9
1:  ret

SEQUENCE(int3)
AT(int3)
    brk #1
    ret

    .data
    .balign 8
    .globl sequence_data
sequence_data:
    .quad 1234

    .section .note.GNU-stack, "", @progbits
