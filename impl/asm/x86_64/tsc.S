/*
 * tsc.S (x86-64, SysV) — uint64_t coremod_tsc_read_asm(void), coremod_tsc_frequency_hz_asm(void).
 * Contract: tsc.h. LFENCE before RDTSC waits for earlier instructions to complete; LFENCE after
 * keeps later ones from starting before the read, so the timed region is what lies between.
 */
#include "asm_macros.h"

CM_KERNEL_BEGIN(tsc_read)
    lfence
    rdtsc
    lfence
    shl     $32, %rdx
    or      %rdx, %rax
    ret
CM_KERNEL_END(tsc_read)

/* The TSC rate cannot be read from user space (CPUID 0x15 is often absent or zero, above all in
 * VMs): report "unknown" and let callers use coremod_tsc_calibrate_hz. */
CM_KERNEL_BEGIN(tsc_frequency_hz)
    xor     %eax, %eax
    ret
CM_KERNEL_END(tsc_frequency_hz)

CM_STACK_NOTE
