/*
 * test_prefetch_range.c — the prefetch loop issues the documented number of prefetches, never
 * touches the memory itself (a range ending at, or running into, a PROT_NONE guard page is
 * fine), and rejects what it cannot walk.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kernel_test_support.h"
#include "prefetch_range.h"

typedef size_t (*prefetch_fn)(const void*, size_t, size_t, unsigned);

typedef struct {
    const char* name;
    prefetch_fn fn;
} prefetcher_t;

static const prefetcher_t prefetchers[] = {
    {"c", coremod_prefetch_range_c},
    {"dispatched", coremod_prefetch_range},
#if COREMOD_KERNELS_HAVE_ASM
    {"asm", coremod_prefetch_range_asm},
#endif
};
#define PREFETCHER_COUNT (sizeof prefetchers / sizeof prefetchers[0])

/* The contract's count, written out independently: walk the offsets. */
static size_t expected_count(size_t bytes, size_t stride, unsigned distance)
{
    size_t n = 0;
    for (size_t offset = 0; offset < bytes; offset += stride) {
        if (distance > 0 && n == distance)
            break;
        n++;
    }
    return n;
}

Test(prefetch_range, counts_match_the_contract)
{
    static char region[1 << 16];
    size_t strides[] = {1, 3, 8, 63, 64, 128, 4096, 70000};
    unsigned distances[] = {0, 1, 2, 7, 64, 100000};
    test_rng_t rng = test_rng_seeded(31337);
    for (size_t p = 0; p < PREFETCHER_COUNT; p++) {
        for (size_t s = 0; s < sizeof strides / sizeof strides[0]; s++) {
            for (size_t d = 0; d < sizeof distances / sizeof distances[0]; d++) {
                for (int round = 0; round < 8; round++) {
                    size_t bytes = round == 0   ? 1
                                   : round == 1 ? strides[s]
                                   : round == 2 ? strides[s] + 1
                                                : (size_t)test_rng_below(&rng, sizeof region) + 1;
                    size_t got = prefetchers[p].fn(region, bytes, strides[s], distances[d]);
                    size_t want = expected_count(bytes, strides[s], distances[d]);
                    cr_assert_eq(
                        got, want,
                        "%s: bytes %zu, stride %zu, distance %u: %zu prefetches, expected %zu",
                        prefetchers[p].name, bytes, strides[s], distances[d], got, want);
                }
            }
        }
    }
}

Test(prefetch_range, last_byte_before_a_guard_page_and_into_it)
{
    long page = sysconf(_SC_PAGESIZE);
    cr_assert_gt(page, 0);
    unsigned char* map =
        mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert_neq(map, MAP_FAILED);
    cr_assert_eq(mprotect(map + page, (size_t)page, PROT_NONE), 0);
    unsigned char* last = map + page - 1;
    for (size_t p = 0; p < PREFETCHER_COUNT; p++) {
        cr_assert_eq(prefetchers[p].fn(last, 1, 64, 0), 1, "%s", prefetchers[p].name);
        /* a range that runs into the guard page: prefetches never fault */
        cr_assert_eq(prefetchers[p].fn(last, (size_t)page + 1, 64, 0),
                     expected_count((size_t)page + 1, 64, 0), "%s", prefetchers[p].name);
        cr_assert_eq(prefetchers[p].fn(map, 2 * (size_t)page, 1, 0), 2 * (size_t)page, "%s",
                     prefetchers[p].name);
    }
    cr_assert_eq(munmap(map, 2 * (size_t)page), 0);
}

Test(prefetch_range, rejects_what_it_cannot_walk)
{
    static char region[256];
    for (size_t p = 0; p < PREFETCHER_COUNT; p++) {
        const char* who = prefetchers[p].name;
        cr_assert_eq(prefetchers[p].fn(NULL, 64, 64, 0), 0, "%s: NULL start", who);
        cr_assert_eq(prefetchers[p].fn(region, 0, 64, 0), 0, "%s: 0 bytes", who);
        cr_assert_eq(prefetchers[p].fn(region, 64, 0, 0), 0, "%s: stride 0", who);
        cr_assert_eq(prefetchers[p].fn(region, SIZE_MAX, 64, 0), 0, "%s: range wraps", who);
        const void* high = (const void*)(UINTPTR_MAX - 63);
        cr_assert_eq(prefetchers[p].fn(high, 64, 64, 0), 1, "%s: range ending at the top", who);
        cr_assert_eq(prefetchers[p].fn(high, 65, 64, 0), 0, "%s: range one past the top", who);
    }
}
