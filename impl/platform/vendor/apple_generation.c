/*
 * apple_generation.c — Apple Silicon generation tables (see apple_generation.h for sources).
 */
#include "apple_generation.h"

#include <stdio.h>
#include <string.h>

/* hw.cpufamily values as `sysctl` prints them (signed). M1, M1 Pro and M1 Max share one family;
 * so do M4 Pro and M4 Max: hw.cpusubfamily tells those apart. */
static const struct {
    int64_t cpufamily;
    uint32_t generation;
    const char* variant; /* "" when the family alone does not say */
} cpufamily_table[] = {
    {458787763, 1, ""},     {-634136515, 2, ""}, {-97304226, 3, ""}, {1598941843, 3, "Pro"},
    {1912690738, 3, "Max"}, {1867590060, 4, ""}, {399882554, 4, ""}, /* M4 Pro and M4 Max */
};

/* MIDR part numbers (implementer 0x61): E core, P core; base, Pro, Max per generation. */
static const struct {
    uint32_t e_part;
    uint32_t p_part;
    uint32_t generation;
    const char* variant;
} midr_table[] = {
    {0x22, 0x23, 1, ""},    {0x24, 0x25, 1, "Pro"}, {0x28, 0x29, 1, "Max"}, {0x32, 0x33, 2, ""},
    {0x34, 0x35, 2, "Pro"}, {0x38, 0x39, 2, "Max"}, {0x42, 0x43, 3, ""},    {0x44, 0x45, 3, "Pro"},
    {0x48, 0x49, 3, "Max"}, {0x52, 0x53, 4, ""},    {0x54, 0x55, 4, "Pro"}, {0x58, 0x59, 4, "Max"},
};

bool apple_chip_from_cpufamily(int64_t cpufamily, apple_chip_t* out)
{
    /* sysctlbyname hands back the raw 32-bit value; printed dumps show it signed. */
    int64_t as_signed = (int64_t)(int32_t)(uint32_t)cpufamily;
    for (size_t i = 0; i < sizeof cpufamily_table / sizeof cpufamily_table[0]; i++) {
        if (cpufamily_table[i].cpufamily == as_signed) {
            if (out) {
                out->generation = cpufamily_table[i].generation;
                out->variant = cpufamily_table[i].variant;
            }
            return true;
        }
    }
    return false;
}

const char* apple_variant_from_subfamily(int64_t subfamily)
{
    switch (subfamily) {
    case 2: return "";
    case 4: return "Pro";
    case 5: return "Max";
    default: return NULL;
    }
}

bool apple_chip_from_midr_part(uint32_t part, apple_chip_t* out, bool* is_performance)
{
    for (size_t i = 0; i < sizeof midr_table / sizeof midr_table[0]; i++) {
        if (midr_table[i].e_part == part || midr_table[i].p_part == part) {
            if (out) {
                out->generation = midr_table[i].generation;
                out->variant = midr_table[i].variant;
            }
            if (is_performance)
                *is_performance = midr_table[i].p_part == part;
            return true;
        }
    }
    return false;
}

bool apple_chip_from_brand(const char* brand, apple_chip_t* out)
{
    unsigned generation = 0;
    int consumed = 0;
    if (!brand || sscanf(brand, "Apple M%u%n", &generation, &consumed) != 1)
        return false;
    if (generation < 1 || generation > 9)
        return false;
    const char* rest = brand + consumed;
    const char* variant;
    if (*rest == '\0')
        variant = "";
    else if (strcmp(rest, " Pro") == 0)
        variant = "Pro";
    else if (strcmp(rest, " Max") == 0)
        variant = "Max";
    else if (strcmp(rest, " Ultra") == 0)
        variant = "Ultra";
    else
        return false;
    if (out) {
        out->generation = generation;
        out->variant = variant;
    }
    return true;
}
