/*
 * tsc.S (AArch64, AAPCS64) — uint64_t coremod_tsc_read_asm(void), coremod_tsc_frequency_hz_asm(void).
 * Contract: tsc.h. CNTVCT_EL0 is the virtual count of the generic timer, readable at EL0 on
 * Linux and macOS; the ISB before it stops the read from being performed ahead of earlier
 * instructions. CNTFRQ_EL0 holds its rate in Hz, set by firmware.
 */
#include "asm_macros.h"

CM_KERNEL_BEGIN(tsc_read)
    isb
    mrs     x0, cntvct_el0
    ret
CM_KERNEL_END(tsc_read)

CM_KERNEL_BEGIN(tsc_frequency_hz)
    mrs     x0, cntfrq_el0
    ret
CM_KERNEL_END(tsc_frequency_hz)

CM_STACK_NOTE
