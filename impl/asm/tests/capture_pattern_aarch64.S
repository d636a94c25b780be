/*
 * capture_pattern_aarch64.S — coremod_test_capture_with_pattern for AArch64 (capture_pattern.h).
 */
#include "asm_macros.h"

#define PATTERN_X(n) movz x##n, #(0x100 + n) CM_SEP movk x##n, #0x5EED, lsl #48
#define PATTERN_V(n) \
    movz x9, #(0x200 + n) CM_SEP movk x9, #0xF00D, lsl #48 CM_SEP \
    movz x10, #(0x300 + n) CM_SEP movk x10, #0xBEEF, lsl #48 CM_SEP \
    fmov d##n, x9 CM_SEP mov v##n.d[1], x10

CM_FUNC_BEGIN(coremod_test_capture_with_pattern)
    stp     x29, x30, [sp, #-176]!
    mov     x29, sp
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    stp     x23, x24, [sp, #48]
    stp     x25, x26, [sp, #64]
    stp     x27, x28, [sp, #80]
    stp     d8, d9, [sp, #96]
    stp     d10, d11, [sp, #112]
    stp     d12, d13, [sp, #128]
    stp     d14, d15, [sp, #144]
    mrs     x9, fpcr                    /* caller's FPCR and FPSR, restored after */
    mrs     x10, fpsr
    stp     x9, x10, [sp, #160]
    mov     x17, x2
    mov     x9, sp
    str     x9, [x1]                    /* expected sp */
    adr     x9, 1f
    str     x9, [x1, #8]                /* expected pc: the return address */
    mov     x9, #0x400000               /* FPCR.RMode = round towards +infinity */
    msr     fpcr, x9
    str     x9, [x1, #16]
    mov     x9, #0x13                   /* FPSR: IOC DZC IXC and QC */
    movk    x9, #0x0800, lsl #16
    msr     fpsr, x9
    str     x9, [x1, #24]
    PATTERN_V(0)
    PATTERN_V(1)
    PATTERN_V(2)
    PATTERN_V(3)
    PATTERN_V(4)
    PATTERN_V(5)
    PATTERN_V(6)
    PATTERN_V(7)
    PATTERN_V(8)
    PATTERN_V(9)
    PATTERN_V(10)
    PATTERN_V(11)
    PATTERN_V(12)
    PATTERN_V(13)
    PATTERN_V(14)
    PATTERN_V(15)
    PATTERN_V(16)
    PATTERN_V(17)
    PATTERN_V(18)
    PATTERN_V(19)
    PATTERN_V(20)
    PATTERN_V(21)
    PATTERN_V(22)
    PATTERN_V(23)
    PATTERN_V(24)
    PATTERN_V(25)
    PATTERN_V(26)
    PATTERN_V(27)
    PATTERN_V(28)
    PATTERN_V(29)
    PATTERN_V(30)
    PATTERN_V(31)
    mov     x9, #0x60000000             /* Z and C */
    msr     nzcv, x9
    PATTERN_X(1)
    PATTERN_X(2)
    PATTERN_X(3)
    PATTERN_X(4)
    PATTERN_X(5)
    PATTERN_X(6)
    PATTERN_X(7)
    PATTERN_X(8)
    PATTERN_X(9)
    PATTERN_X(10)
    PATTERN_X(11)
    PATTERN_X(12)
    PATTERN_X(13)
    PATTERN_X(14)
    PATTERN_X(15)
    PATTERN_X(16)
#if !defined(__APPLE__)
    PATTERN_X(18)                       /* the platform register on Apple platforms: left alone */
#endif
    PATTERN_X(19)
    PATTERN_X(20)
    PATTERN_X(21)
    PATTERN_X(22)
    PATTERN_X(23)
    PATTERN_X(24)
    PATTERN_X(25)
    PATTERN_X(26)
    PATTERN_X(27)
    PATTERN_X(28)
    PATTERN_X(29)
    blr     x17
1:  ldp     x9, x10, [sp, #160]
    msr     fpcr, x9
    msr     fpsr, x10
    ldp     d8, d9, [sp, #96]
    ldp     d10, d11, [sp, #112]
    ldp     d12, d13, [sp, #128]
    ldp     d14, d15, [sp, #144]
    ldp     x19, x20, [sp, #16]
    ldp     x21, x22, [sp, #32]
    ldp     x23, x24, [sp, #48]
    ldp     x25, x26, [sp, #64]
    ldp     x27, x28, [sp, #80]
    ldp     x29, x30, [sp], #176
    ret
CM_FUNC_END(coremod_test_capture_with_pattern)

CM_STACK_NOTE
