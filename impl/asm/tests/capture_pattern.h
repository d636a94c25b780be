/*
 * capture_pattern.h — an assembly helper that loads known values into every register it can,
 * then calls a capture function, so the test can check each captured field exactly.
 *
 * coremod_test_capture_with_pattern(out, expected, capture):
 *   expected[0] = the stack pointer at the call, expected[1] = the return address of the call,
 *   expected[2] = fpcr value set (AArch64 FPCR / x86-64 x87 control word),
 *   expected[3] = fpsr value set (AArch64 FPSR / x86-64 MXCSR).
 * Registers at the call: pattern_gpr(i) in every general register i except
 *   AArch64: x0 = out, x17 = capture, x18 (untouched on Apple platforms), x30 = return address;
 *   x86-64 (encoding order): x[4] rsp, x[7] rdi = out, x[11] r11 = capture.
 * Vector registers: v[i] = {pattern_vec_lo(i), pattern_vec_hi(i)} for all 32 (AArch64) or 16
 * (x86-64). Flags: AArch64 NZCV = Z|C (0x60000000); x86-64 RFLAGS = CF|PF|AF|ZF|SF|OF set.
 * Everything the ABI says must survive a call is restored before it returns.
 */
#ifndef COREMOD_CAPTURE_PATTERN_H
#define COREMOD_CAPTURE_PATTERN_H

#include <stdint.h>

#include "processor_state.h"

#define PATTERN_GPR(i) (UINT64_C(0x5EED000000000100) + (uint64_t)(i))
#define PATTERN_VEC_LO(i) (UINT64_C(0xF00D000000000200) + (uint64_t)(i))
#define PATTERN_VEC_HI(i) (UINT64_C(0xBEEF000000000300) + (uint64_t)(i))

#define PATTERN_NZCV UINT64_C(0x60000000)
#define PATTERN_RFLAGS_SET UINT64_C(0x8D5) /* CF PF AF ZF SF OF */

void coremod_test_capture_with_pattern(coremod_processor_state_t* out, uint64_t expected[4],
                                       void (*capture)(coremod_processor_state_t*));

#endif /* COREMOD_CAPTURE_PATTERN_H */
