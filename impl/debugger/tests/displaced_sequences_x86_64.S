/*
 * displaced_sequences_x86_64.S — instruction sequences for test_displaced.c: each function takes
 * an argument in rdi and returns a value in rax; the global label bp_<name>_at is the instruction
 * the test breakpoints. Covers every PC-relative form the engine relocates or emulates, and
 * ordinary ones.
 */
    .text
#define SEQUENCE(name) .globl seq_##name; .type seq_##name, @function; seq_##name:
#define AT(name) .globl bp_##name##_at; bp_##name##_at:

SEQUENCE(plain)
    mov %rdi, %rax
AT(plain)
    imul $3, %rax, %rax
    ret

SEQUENCE(ret)
    lea 5(%rdi), %rax
AT(ret)
    ret

SEQUENCE(push)
AT(push)
    push %rdi
    pop %rax
    add $2, %rax
    ret

SEQUENCE(rip_load)
AT(rip_load)
    mov sequence_data(%rip), %rax
    add %rdi, %rax
    ret

SEQUENCE(rip_lea)
AT(rip_lea)
    lea sequence_data(%rip), %rax
    mov 8(%rax), %rax
    add %rdi, %rax
    ret

SEQUENCE(rip_cmp_imm) /* disp32 followed by an immediate: the disp is not the last field */
    xor %eax, %eax
AT(rip_cmp_imm)
    cmpl $7, sequence_data32(%rip)
    sete %al
    add %rdi, %rax
    ret

SEQUENCE(jmp8)
    mov %rdi, %rax
AT(jmp8)
    jmp 1f
    add $100, %rax
1:  ret

SEQUENCE(jmp32)
    mov %rdi, %rax
AT(jmp32)
    .byte 0xe9
    .long 1f - 2f
2:  add $100, %rax
1:  ret

SEQUENCE(call)
    mov %rdi, %rax
AT(call)
    call sequence_add_one
    add $1, %rax
    ret

sequence_add_one:
    add $10, %rax
    ret

SEQUENCE(jcc8)
    mov %rdi, %rax
    test $1, %dil
AT(jcc8)
    jnz 1f
    add $1000, %rax
1:  ret

SEQUENCE(jcc32)
    mov %rdi, %rax
    cmp $50, %rdi
AT(jcc32)
    .byte 0x0f, 0x8c /* jl rel32 */
    .long 1f - 2f
2:  add $1000, %rax
1:  ret

SEQUENCE(loop) /* the loop instruction runs (arg & 7) + 1 times */
    mov %rdi, %rcx
    and $7, %rcx
    inc %rcx
    xor %eax, %eax
1:  add $3, %rax
AT(loop)
    loop 1b
    add %rdi, %rax
    ret

SEQUENCE(loopne) /* stops when rcx reaches 0 or ZF is set (rax hits 9) */
    mov %rdi, %rcx
    and $7, %rcx
    inc %rcx
    xor %eax, %eax
1:  add $3, %rax
    cmp $9, %rax
AT(loopne)
    loopne 1b
    add %rdi, %rax
    ret

SEQUENCE(jrcxz)
    mov %rdi, %rcx
    and $1, %rcx
    mov $5, %eax
AT(jrcxz)
    jrcxz 1f
    add $10, %rax
1:  add %rdi, %rax
    ret

SEQUENCE(int3)
AT(int3)
    int3
    ret

    .data
    .balign 8
    .globl sequence_data
sequence_data:
    .quad 1234
    .quad 5678
sequence_data32:
    .long 7

    .section .note.GNU-stack, "", @progbits
