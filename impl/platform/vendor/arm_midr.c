/*
 * arm_midr.c — MIDR implementer and part tables (values from the Arm technical reference manuals
 * and the Linux kernel's arch/arm64/include/asm/cputype.h).
 */
#include "arm_midr.h"

#include <stddef.h>

#include "apple_generation.h"

static const struct {
    uint32_t implementer;
    const char* name;
} implementers[] = {
    {0x41, "ARM"},       {0x42, "Broadcom"}, {0x43, "Cavium"}, {0x46, "Fujitsu"},
    {0x48, "HiSilicon"}, {0x4e, "NVIDIA"},   {0x50, "APM"},    {0x51, "Qualcomm"},
    {0x53, "Samsung"},   {0x56, "Marvell"},  {0x61, "Apple"},  {0x69, "Intel"},
    {0x6d, "Microsoft"}, {0xc0, "Ampere"},
};

enum { LITTLE = 1, BIG = 2, PRIME = 3 };

static const struct {
    uint32_t part;
    const char* name;
    uint32_t cls;
} arm_parts[] = {
    {0xc07, "Cortex-A7", LITTLE},  {0xc09, "Cortex-A9", BIG},      {0xc0f, "Cortex-A15", BIG},
    {0xd03, "Cortex-A53", LITTLE}, {0xd04, "Cortex-A35", LITTLE},  {0xd05, "Cortex-A55", LITTLE},
    {0xd07, "Cortex-A57", BIG},    {0xd08, "Cortex-A72", BIG},     {0xd09, "Cortex-A73", BIG},
    {0xd0a, "Cortex-A75", BIG},    {0xd0b, "Cortex-A76", BIG},     {0xd0c, "Neoverse-N1", BIG},
    {0xd0d, "Cortex-A77", BIG},    {0xd40, "Neoverse-V1", BIG},    {0xd41, "Cortex-A78", BIG},
    {0xd44, "Cortex-X1", PRIME},   {0xd46, "Cortex-A510", LITTLE}, {0xd47, "Cortex-A710", BIG},
    {0xd48, "Cortex-X2", PRIME},   {0xd49, "Neoverse-N2", BIG},    {0xd4d, "Cortex-A715", BIG},
    {0xd4e, "Cortex-X3", PRIME},   {0xd4f, "Neoverse-V2", BIG},    {0xd80, "Cortex-A520", LITTLE},
    {0xd81, "Cortex-A720", BIG},   {0xd82, "Cortex-X4", PRIME},
};

const char* arm_implementer_name(uint32_t implementer)
{
    for (size_t i = 0; i < sizeof implementers / sizeof implementers[0]; i++)
        if (implementers[i].implementer == implementer)
            return implementers[i].name;
    return NULL;
}

const char* arm_part_name(uint32_t implementer, uint32_t part)
{
    if (implementer == APPLE_MIDR_IMPLEMENTER) {
        bool is_performance;
        if (!apple_chip_from_midr_part(part, NULL, &is_performance))
            return NULL;
        return is_performance ? "Performance" : "Efficiency";
    }
    if (implementer != 0x41)
        return NULL;
    for (size_t i = 0; i < sizeof arm_parts / sizeof arm_parts[0]; i++)
        if (arm_parts[i].part == part)
            return arm_parts[i].name;
    return NULL;
}

uint32_t arm_part_class(uint32_t implementer, uint32_t part)
{
    if (implementer == APPLE_MIDR_IMPLEMENTER) {
        bool is_performance;
        if (!apple_chip_from_midr_part(part, NULL, &is_performance))
            return 0;
        return is_performance ? BIG : LITTLE;
    }
    if (implementer != 0x41)
        return 0;
    for (size_t i = 0; i < sizeof arm_parts / sizeof arm_parts[0]; i++)
        if (arm_parts[i].part == part)
            return arm_parts[i].cls;
    return 0;
}
