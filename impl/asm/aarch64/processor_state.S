/*
 * processor_state.S (AArch64, AAPCS64) — void coremod_capture_processor_state_asm(
 *     coremod_processor_state_t* out). Contract: processor_state.h.
 * Every general register is stored before x9/x10 are used as scratch, and NZCV is read before
 * any flag-setting instruction (CBZ does not set flags). pc = x30 = the return address.
 */
#include "asm_macros.h"

CM_KERNEL_BEGIN(capture_processor_state)
    cbz     x0, 9f
    stp     x0, x1, [x0, #0]
    stp     x2, x3, [x0, #16]
    stp     x4, x5, [x0, #32]
    stp     x6, x7, [x0, #48]
    stp     x8, x9, [x0, #64]
    stp     x10, x11, [x0, #80]
    stp     x12, x13, [x0, #96]
    stp     x14, x15, [x0, #112]
    stp     x16, x17, [x0, #128]
    stp     x18, x19, [x0, #144]
    stp     x20, x21, [x0, #160]
    stp     x22, x23, [x0, #176]
    stp     x24, x25, [x0, #192]
    stp     x26, x27, [x0, #208]
    stp     x28, x29, [x0, #224]
    mov     x9, sp
    stp     x30, x9, [x0, #240]         /* x30, sp */
    mrs     x10, nzcv
    stp     x30, x10, [x0, #256]        /* pc, pstate */
    stp     q0, q1, [x0, #272]
    stp     q2, q3, [x0, #304]
    stp     q4, q5, [x0, #336]
    stp     q6, q7, [x0, #368]
    stp     q8, q9, [x0, #400]
    stp     q10, q11, [x0, #432]
    stp     q12, q13, [x0, #464]
    stp     q14, q15, [x0, #496]
    stp     q16, q17, [x0, #528]
    stp     q18, q19, [x0, #560]
    stp     q20, q21, [x0, #592]
    stp     q22, q23, [x0, #624]
    stp     q24, q25, [x0, #656]
    stp     q26, q27, [x0, #688]
    stp     q28, q29, [x0, #720]
    stp     q30, q31, [x0, #752]
    mrs     x9, fpcr
    mrs     x10, fpsr
    str     x9, [x0, #784]
    str     x10, [x0, #792]
9:  ret
CM_KERNEL_END(capture_processor_state)

CM_STACK_NOTE
