/*
 * processor_state.h — captures the calling thread's registers into the layout of the document's
 * arm64_processor_state_t (Debugging API), for the module debugger.
 *
 * coremod_processor_state_t is a private copy of that struct with the same field order, types
 * and offsets (static asserts in c/processor_state_c.c), to be replaced by the debugger header's
 * type once it exists.
 *
 * What the capture means: the registers as they are at the call, seen from the caller —
 *   pc  = the return address (the caller's instruction right after the call), the point in the
 *         caller's code where the state was taken;
 *   sp  = the caller's stack pointer at the call (the CFA of the capture function);
 *   argument registers hold what they hold at a call: x0 / rdi is the `out` pointer.
 *
 * AArch64 (assembly): x[0..30] = x0..x30 (x30 = LR = pc), sp, pc, pstate = NZCV (bits 31..28,
 *   the only PSTATE bits EL0 can read), v[i] = {low 64, high 64 bits} of q0..q31, fpcr, fpsr.
 * x86-64 (assembly): general registers in hardware encoding order (the ModRM/REX number):
 *     x[0] rax   x[1] rcx   x[2] rdx   x[3] rbx   x[4] rsp   x[5] rbp   x[6] rsi   x[7] rdi
 *     x[8] r8 ... x[15] r15;  x[16..30] = 0
 *   sp = rsp of the caller (= x[4]), pc = rip (the return address), pstate = RFLAGS,
 *   v[0..15] = xmm0..xmm15 (upper halves of ymm/zmm are not captured), v[16..31] = 0,
 *   fpsr = MXCSR (SSE status and control), fpcr = the x87 control word (FNSTCW).
 * C twin (portable C + GCC/Clang builtins): what C can know —
 *   pc = __builtin_return_address(0), sp = __builtin_dwarf_cfa() (both exact, same meaning as
 *   the assembly); fpcr = fegetround() and fpsr = fetestexcept(FE_ALL_EXCEPT), which on both
 *   targets are the rounding-mode field and the exception-flag bits of the real registers
 *   (glibc defines FE_* as those bit values; COREMOD_FPCR_RMODE_MASK below);
 *   x[], v[] and pstate are 0 — C has no way to read registers or flags.
 */
#ifndef COREMOD_PROCESSOR_STATE_H
#define COREMOD_PROCESSOR_STATE_H

#include <stdint.h>

#include "kernel_arch.h"

typedef struct {
    uint64_t x[31]; /* x0-x30 (x86-64: see the mapping above) */
    uint64_t sp;
    uint64_t pc;
    uint64_t pstate;   /* AArch64 NZCV; x86-64 RFLAGS */
    uint64_t v[32][2]; /* 128-bit vector registers, [i][0] = low half */
    uint64_t fpcr;     /* AArch64 FPCR; x86-64 x87 control word */
    uint64_t fpsr;     /* AArch64 FPSR; x86-64 MXCSR */
} coremod_processor_state_t;

/* Bits of fpcr that hold the rounding mode (AArch64 FPCR.RMode; x86-64 x87 CW.RC). */
#if defined(__aarch64__) || defined(__arm64__)
#define COREMOD_FPCR_RMODE_MASK 0x00C00000u
#else
#define COREMOD_FPCR_RMODE_MASK 0x00000C00u
#endif

/* Fills *out as described above. out == NULL: does nothing. */
void coremod_capture_processor_state(coremod_processor_state_t* out);
void coremod_capture_processor_state_c(coremod_processor_state_t* out);
#if COREMOD_KERNELS_HAVE_ASM
void coremod_capture_processor_state_asm(coremod_processor_state_t* out);
#endif

#endif /* COREMOD_PROCESSOR_STATE_H */
