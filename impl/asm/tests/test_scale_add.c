/*
 * test_scale_add.c — out[i] = in[i] * 2 + 1: the assembly and the dispatched name are
 * bit-identical to the C twin and to an expectation computed here element by element, for
 * sizes 0..257, unaligned pointers, in-place use, and edge values (NaN payloads, infinities,
 * signed zeros, subnormals, values whose product overflows or rounds).
 */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_test_support.h"
#include "scale_add.h"

typedef void (*scale_fn)(const float*, float*, size_t);

static uint32_t bits_of(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static float float_of(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* Computed here, separately from the twin: one volatile per rounding step forbids contraction. */
static float expected_value(float x)
{
    volatile float scaled = x * 2.0f;
    volatile float result = scaled + 1.0f;
    return result;
}

static void check_impl(scale_fn fn, const char* who)
{
    enum { MAX_N = 257 };
    test_rng_t rng = test_rng_seeded(99);
    float* in_buf = malloc((MAX_N + 4) * sizeof(float));
    float* out_buf = malloc((MAX_N + 4) * sizeof(float));
    float* twin = malloc((MAX_N + 4) * sizeof(float));
    cr_assert(in_buf && out_buf && twin);
    for (size_t n = 0; n <= MAX_N; n++) {
        for (size_t misalign = 0; misalign < 2; misalign++) {
            /* misalign by one float: vector loads/stores of 16 bytes are then unaligned */
            float* in = in_buf + misalign;
            float* out = out_buf + (1 - misalign);
            for (size_t i = 0; i < n; i++)
                in[i] = float_of(test_rng_u32(&rng)); /* every bit pattern: NaNs too */
            for (size_t i = 0; i < n + 1; i++)
                out[i] = -7.0f;
            fn(in, out, n);
            coremod_scale_add_f32_c(in, twin, n);
            for (size_t i = 0; i < n; i++) {
                uint32_t got = bits_of(out[i]), want = bits_of(expected_value(in[i]));
                cr_assert_eq(got, want,
                             "%s: n = %zu, i = %zu, in = 0x%08x: got 0x%08x, expected 0x%08x", who,
                             n, i, (unsigned)bits_of(in[i]), (unsigned)got, (unsigned)want);
                cr_assert_eq(got, bits_of(twin[i]),
                             "%s differs from the C twin at n = %zu, i = %zu", who, n, i);
            }
            cr_assert_eq(bits_of(out[n]), bits_of(-7.0f), "%s wrote past the end (n = %zu)", who,
                         n);
        }
    }
    free(in_buf);
    free(out_buf);
    free(twin);
}

Test(scale_add, c_twin_matches_expectation)
{
    check_impl(coremod_scale_add_f32_c, "c");
}
Test(scale_add, dispatched_matches_expectation)
{
    check_impl(coremod_scale_add_f32, "dispatched");
}
#if COREMOD_KERNELS_HAVE_ASM
Test(scale_add, asm_matches_expectation_and_twin)
{
    check_impl(coremod_scale_add_f32_asm, "asm");
}
#endif

Test(scale_add, edge_values_in_place)
{
    float edges[] = {0.0f,
                     -0.0f,
                     1.0f,
                     -1.0f,
                     -0.5f,
                     INFINITY,
                     -INFINITY,
                     NAN,
                     -NAN,
                     float_of(0x7FC12345u),
                     float_of(0xFFA00001u) /* signalling NaN */,
                     FLT_MAX,
                     -FLT_MAX,
                     FLT_MIN,
                     -FLT_MIN,
                     float_of(1u) /* smallest subnormal */,
                     float_of(0x807FFFFFu),
                     8388607.5f,
                     16777215.0f,
                     3.4e38f,
                     1e-45f,
                     0.1f};
    size_t n = sizeof edges / sizeof edges[0];
    scale_fn impls[] = {
        coremod_scale_add_f32_c,
        coremod_scale_add_f32,
#if COREMOD_KERNELS_HAVE_ASM
        coremod_scale_add_f32_asm,
#endif
    };
    for (size_t k = 0; k < sizeof impls / sizeof impls[0]; k++) {
        float data[32];
        memcpy(data, edges, sizeof edges);
        impls[k](data, data, n); /* in-place */
        for (size_t i = 0; i < n; i++) {
            uint32_t want = bits_of(expected_value(edges[i]));
            /* A signalling NaN comes out quieted: same sign and payload, quiet bit set. */
            cr_assert_eq(bits_of(data[i]), want,
                         "impl %zu, edge %zu (0x%08x): got 0x%08x, expected 0x%08x", k, i,
                         (unsigned)bits_of(edges[i]), (unsigned)bits_of(data[i]), (unsigned)want);
        }
    }
}

Test(scale_add, null_pointers_do_nothing)
{
    float x = 3.0f;
    coremod_scale_add_f32_c(NULL, &x, 1);
    coremod_scale_add_f32(&x, NULL, 1);
#if COREMOD_KERNELS_HAVE_ASM
    coremod_scale_add_f32_asm(NULL, &x, 1);
    coremod_scale_add_f32_asm(&x, NULL, 1);
#endif
    cr_assert_eq(x, 3.0f);
}
