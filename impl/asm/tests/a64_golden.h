/* a64_golden.h — a table of assembled AArch64 instructions with hand-assigned classes. */
#ifndef COREMOD_A64_GOLDEN_H
#define COREMOD_A64_GOLDEN_H

#include <stddef.h>
#include <stdint.h>

enum {
    G_COND = 1 << 0,   /* conditional branch */
    G_UNCOND = 1 << 1, /* B, BL */
    G_CALL = 1 << 2,
    G_RET = 1 << 3,
    G_INDIRECT = 1 << 4,
    G_SIMD = 1 << 5,
    G_LOAD = 1 << 6,
    G_STORE = 1 << 7,
};

typedef struct {
    uint32_t word;
    unsigned classes; /* G_* */
    uint32_t loop;    /* backward distance in words, 0 if none */
    const char* source;
} a64_golden_t;

extern const a64_golden_t a64_golden[];
extern const size_t a64_golden_count;

#endif /* COREMOD_A64_GOLDEN_H */
