/*
 * arm_midr.h — decoding the ARM Main ID Register (MIDR_EL1): who made a core and which core it
 * is. Used to name core kinds and, when the kernel gives no cpu_capacity, to rank them.
 */
#ifndef COREMOD_ARM_MIDR_H
#define COREMOD_ARM_MIDR_H

#include <stdint.h>

static inline uint32_t midr_implementer(uint32_t midr)
{
    return midr >> 24;
}
static inline uint32_t midr_variant(uint32_t midr)
{
    return (midr >> 20) & 0xfu;
}
static inline uint32_t midr_part(uint32_t midr)
{
    return (midr >> 4) & 0xfffu;
}
static inline uint32_t midr_revision(uint32_t midr)
{
    return midr & 0xfu;
}

/* MIDR from /proc/cpuinfo's fields; the architecture field reads 0xF ("see the ID registers")
 * on every core that has a "CPU part" line (ARMv7 and later). */
static inline uint32_t midr_compose(uint32_t implementer, uint32_t variant, uint32_t part,
                                    uint32_t revision)
{
    return (implementer & 0xffu) << 24 | (variant & 0xfu) << 20 | 0xfu << 16 |
           (part & 0xfffu) << 4 | (revision & 0xfu);
}

/* "ARM", "Apple", "Qualcomm"...; NULL for an implementer not in the table. */
const char* arm_implementer_name(uint32_t implementer);

/* "Cortex-A510"...; NULL when unknown. Apple parts are named "Efficiency"/"Performance". */
const char* arm_part_name(uint32_t implementer, uint32_t part);

/* Performance class of a known core: 1 little (in-order / efficiency), 2 big, 3 prime (Cortex-X).
 * 0 when unknown: ranking then falls back to the part number. */
uint32_t arm_part_class(uint32_t implementer, uint32_t part);

#endif /* COREMOD_ARM_MIDR_H */
