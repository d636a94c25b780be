/*
 * test_secure_zero.c — every size 0..300 at every start offset 0..63, inside a buffer of known
 * random bytes: exactly the range becomes zero, every byte around it is unchanged. The expected
 * result is computed here byte by byte, not taken from the C twin.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_test_support.h"
#include "secure_zero.h"

typedef void (*zero_fn)(void*, size_t);

static void check_zeroing(zero_fn fn, const char* who)
{
    enum { GUARD = 64, MAX_N = 300, MAX_OFFSET = 64, SIZE = GUARD + MAX_OFFSET + MAX_N + GUARD };
    unsigned char* buffer = malloc(SIZE);
    unsigned char* pattern = malloc(SIZE);
    cr_assert(buffer && pattern);
    test_rng_t rng = test_rng_seeded(4242);
    for (size_t i = 0; i < SIZE; i++)
        pattern[i] = (unsigned char)(test_rng_next(&rng) | 1); /* never 0: a missed store shows */
    for (size_t offset = 0; offset < MAX_OFFSET; offset++) {
        for (size_t n = 0; n <= MAX_N; n++) {
            memcpy(buffer, pattern, SIZE);
            size_t start = GUARD + offset;
            fn(buffer + start, n);
            for (size_t i = 0; i < SIZE; i++) {
                unsigned char want = (i >= start && i < start + n) ? 0 : pattern[i];
                if (buffer[i] != want)
                    cr_assert_fail("%s: n = %zu, offset = %zu: byte %zd relative to start is "
                                   "0x%02x, expected 0x%02x",
                                   who, n, offset, (ptrdiff_t)i - (ptrdiff_t)start, buffer[i],
                                   want);
            }
        }
    }
    free(buffer);
    free(pattern);
}

Test(secure_zero, c_twin_zeroes_exactly_the_range)
{
    check_zeroing(coremod_secure_zero_c, "c");
}
Test(secure_zero, dispatched_zeroes_exactly_the_range)
{
    check_zeroing(coremod_secure_zero, "dispatched");
}
#if COREMOD_KERNELS_HAVE_ASM
Test(secure_zero, asm_zeroes_exactly_the_range)
{
    check_zeroing(coremod_secure_zero_asm, "asm");
}

/* Large sizes take the REP STOSB / 64-byte loop paths. */
Test(secure_zero, asm_large_sizes_and_offsets)
{
    size_t sizes[] = {511, 512, 4096, 4097, 65536 + 7};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        for (size_t offset = 0; offset < 17; offset += 3) {
            size_t total = sizes[s] + 64;
            unsigned char* buffer = malloc(total);
            cr_assert_not_null(buffer);
            memset(buffer, 0xEE, total);
            coremod_secure_zero_asm(buffer + 16 + offset, sizes[s]);
            for (size_t i = 0; i < total; i++) {
                int inside = i >= 16 + offset && i < 16 + offset + sizes[s];
                if (buffer[i] != (inside ? 0 : 0xEE))
                    cr_assert_fail("n = %zu, offset %zu: byte %zu wrong", sizes[s], offset, i);
            }
            free(buffer);
        }
    }
}
#endif

Test(secure_zero, null_pointer_does_nothing)
{
    coremod_secure_zero_c(NULL, 100);
    coremod_secure_zero(NULL, 100);
#if COREMOD_KERNELS_HAVE_ASM
    coremod_secure_zero_asm(NULL, 100);
#endif
}
