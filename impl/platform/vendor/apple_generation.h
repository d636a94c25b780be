/*
 * apple_generation.h — which Apple Silicon generation a machine is, from what each OS exposes:
 * `hw.cpufamily` (+ `hw.cpusubfamily`) on macOS, MIDR implementer 0x61 part numbers on Linux
 * (Asahi), and as a last resort the "Apple M<n>" brand string (the only public marker of M5
 * here). Values: /work/shared/topology/SOURCES.md, "Facts worth knowing".
 */
#ifndef COREMOD_APPLE_GENERATION_H
#define COREMOD_APPLE_GENERATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define APPLE_MIDR_IMPLEMENTER 0x61u

typedef struct {
    uint32_t generation; /* 1..5 for M1..M5; 0 unknown */
    const char* variant; /* "", "Pro", "Max"; never NULL */
} apple_chip_t;

/* From hw.cpufamily as sysctl prints it (a signed 32-bit value). False if unknown. */
bool apple_chip_from_cpufamily(int64_t cpufamily, apple_chip_t* out);

/* hw.cpusubfamily: 2 base, 4 Pro, 5 Max. NULL if unknown. */
const char* apple_variant_from_subfamily(int64_t subfamily);

/* From a MIDR part number with implementer 0x61. `is_performance` tells P (true) from E cores. */
bool apple_chip_from_midr_part(uint32_t part, apple_chip_t* out, bool* is_performance);

/* From "Apple M3 Max"-style brand strings. False for anything else ("Apple processor"). */
bool apple_chip_from_brand(const char* brand, apple_chip_t* out);

/* Every Apple Silicon generation (M1 onwards) carries the AMX matrix coprocessor. */
static inline bool apple_generation_has_amx(uint32_t generation)
{
    return generation != 0;
}

#endif /* COREMOD_APPLE_GENERATION_H */
