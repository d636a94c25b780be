/*
 * cases_resources.c — destroy gives back what the system took (SPEC 8.1).
 *
 * The definitive leak check is valgrind's, run by the project's own tests. A case measures the
 * process itself: after warm-up, repeated init/use/destroy cycles must not grow the heap in use
 * or the set of open file descriptors. (LeakSanitizer's report at a case process's exit comes
 * after Criterion has taken the case's result, so it cannot decide a status.)
 */
#include <dirent.h>
#include <malloc.h>
#include <stdio.h>

#include "conformance.h"

#if defined(__SANITIZE_ADDRESS__)
#define HEAP_STATISTICS_USABLE 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HEAP_STATISTICS_USABLE 0
#endif
#endif
#ifndef HEAP_STATISTICS_USABLE
#define HEAP_STATISTICS_USABLE 1
#endif

/* One full use of a system: several modules, lookups, failures, a reload, then destroy with
 * modules still loaded. */
static void system_cycle(const char* missing, int cycle)
{
    case_step("cycle %d: creating a system and loading five modules", cycle);
    module_system_t* system = case_system_new(NULL, 0);
    const char* names[] = {"lifecycle_counter", "symbol_rich", "graphics_renderer", "metadata_long",
                           "plain_module"};
    module_handle_t handles[5];
    for (size_t i = 0; i < 5; i++) {
        handles[i] = case_load(system, fixture_module(names[i]));
    }
    for (int s = 0; s < 64; s += 7) {
        case_symbol(handles[1], case_strf("sym_%03d", s));
    }
    CAND(module_get_symbol)(handles[1], "no_such_symbol");
    case_step("cycle %d: loading a missing file (%s)", cycle, missing);
    CAND(module_load)(system, missing);
    case_step("cycle %d: loading the truncated fixture %s", cycle, fixture_bad("truncated.so"));
    CAND(module_load)(system, fixture_bad("truncated.so"));
    case_info(handles[2]);
    case_unload(handles[4]);
    case_load(system, fixture_module("plain_module"));
    case_step("cycle %d: destroying the system with four modules loaded", cycle);
    case_system_destroy(system);
}

static size_t open_descriptors(void)
{
    DIR* dir = opendir("/proc/self/fd");
    if (dir == NULL) {
        conformance_not_supported("/proc/self/fd is not available");
    }
    size_t count = 0;
    struct dirent* entry;
    while ((entry = readdir(dir)) != NULL) {
        count += entry->d_name[0] != '.';
    }
    closedir(dir);
    return count;
}

enum { WARMUP_CYCLES = 5, MEASURED_CYCLES = 100 };

CONFORMANCE_CASE_TIMEOUT(core_resources, CORE_RES_001, "8.1",
                         "repeated init/load/destroy cycles do not grow the heap", 60.0)
{
    if (!HEAP_STATISTICS_USABLE) {
        conformance_not_supported("glibc's heap statistics do not see AddressSanitizer's "
                                  "allocator (this suite was built with -fsanitize=address)");
    }
    /* The cycles build paths in the case's own arena; it is emptied after each cycle so that only
     * the candidate's allocations can grow. `missing` lives outside it. */
    char missing[4096];
    snprintf(missing, sizeof(missing), "%s", case_path("missing.so"));
    for (int i = 0; i < WARMUP_CYCLES; i++) {
        system_cycle(missing, i + 1);
    }
    case_memory_release();
    struct mallinfo2 before = mallinfo2();
    for (int i = 0; i < MEASURED_CYCLES; i++) {
        system_cycle(missing, WARMUP_CYCLES + i + 1);
        case_memory_release();
    }
    struct mallinfo2 after = mallinfo2();
    long long growth = (long long)after.uordblks - (long long)before.uordblks;
    /* A leaked module record, cache or message per cycle is >= 64 bytes: 6400 bytes over the
     * cycles. Less than that is allocator noise (glibc caches a little in the loader). */
    cr_assert(growth < 64 * MEASURED_CYCLES,
              "the heap in use (mallinfo2 uordblks) grew by %lld "
              "bytes over %d init/load/destroy cycles (%lld per cycle); expected less than 64 per "
              "cycle: module_system_destroy frees everything the system allocated (SPEC 8.1)",
              growth, MEASURED_CYCLES, growth / MEASURED_CYCLES);
}

CONFORMANCE_CASE_TIMEOUT(core_resources, CORE_RES_002, "8.1",
                         "repeated init/load/destroy cycles leave no file descriptor open", 60.0)
{
    const char* missing = case_path("missing.so");
    system_cycle(missing, 1);
    size_t before = open_descriptors();
    for (int i = 0; i < 50; i++) {
        system_cycle(missing, i + 2);
    }
    size_t after = open_descriptors();
    cr_assert(after == before,
              "%zu file descriptors were open after 50 more init/load/destroy "
              "cycles, %zu before; expected the same number: destroy closes what the system "
              "opened (SPEC 8.1)",
              after, before);
}
