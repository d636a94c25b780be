/*
 * kernel_test_support.h — what every kernel test needs: a seeded generator (results are
 * reproducible: every test states its seed).
 */
#ifndef COREMOD_KERNEL_TEST_SUPPORT_H
#define COREMOD_KERNEL_TEST_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

/* xorshift64*: small, fast, and the same sequence on every platform. */
typedef struct {
    uint64_t state;
} test_rng_t;

static inline test_rng_t test_rng_seeded(uint64_t seed)
{
    test_rng_t rng = {seed ? seed : UINT64_C(0x9E3779B97F4A7C15)};
    return rng;
}

static inline uint64_t test_rng_next(test_rng_t* rng)
{
    uint64_t x = rng->state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng->state = x;
    return x * UINT64_C(0x2545F4914F6CDD1D);
}

static inline uint32_t test_rng_u32(test_rng_t* rng)
{
    return (uint32_t)(test_rng_next(rng) >> 32);
}

/* Uniform in [0, bound), bound > 0 (the tiny modulo bias does not matter for test inputs). */
static inline uint64_t test_rng_below(test_rng_t* rng, uint64_t bound)
{
    return test_rng_next(rng) % bound;
}

#endif /* COREMOD_KERNEL_TEST_SUPPORT_H */
