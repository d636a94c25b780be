/*
 * cases_cache.c — the Cache Optimization API (SPEC 11): contexts (10.1–10.3), the hierarchy view
 * (11.2), prefetch patterns (11.3–11.9) and applying them (11.10).
 *
 * Expected patterns are computed here from SPEC 11.4–11.9 and the hierarchy the candidate itself
 * reports (or, on a recorded machine, the recording's expected.json), at the boundaries of every
 * region.
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>

#include "conformance.h"
#include "optimization_contexts.h"
#include "topology_replay.h"

/* SPEC 11.9's "ARM machine" for the live machine, from what the OS says rather than from what
 * this binary was compiled for (under qemu-user an AArch64 suite runs on an x86-64 machine):
 * Linux lists an ARM MIDR as "CPU implementer" in /proc/cpuinfo; macOS on arm64 is Apple Silicon.
 */
static bool live_machine_is_arm(void)
{
#if defined(__APPLE__)
#if defined(__aarch64__) || defined(__arm64__)
    return true;
#else
    return false;
#endif
#else
    FILE* f = fopen("/proc/cpuinfo", "r");
    char line[256];
    bool arm = false;
    while (f != NULL && !arm && fgets(line, sizeof(line), f) != NULL) {
        arm = strncmp(line, "CPU implementer", 15) == 0;
    }
    if (f != NULL) {
        fclose(f);
    }
    return arm;
#endif
}
#define LIVE_MACHINE_IS_ARM live_machine_is_arm()

/* SPEC 11.4–11.9, the suite's own statement. */
static cache_prefetch_pattern_t expected_pattern(const cache_hierarchy_info_t* h, bool arm,
                                                 uint64_t size, cache_access_pattern_t pattern)
{
    uint64_t line = h->l1_cache_line_size   ? h->l1_cache_line_size
                    : h->l2_cache_line_size ? h->l2_cache_line_size
                                            : 64;
    uint64_t c1 = h->l1_cache_size, c2 = h->l2_cache_size;
    uint64_t window = c1 == 0 ? 8 : (c1 / (16 * line) < 2 ? 2 : c1 / (16 * line));
    int region = (c1 != 0 && size <= c1 / 2) ? 1 : (c2 != 0 && size <= c2 / 2) ? 2 : 3;
    uint64_t d = region == 1 ? window / 4 : region == 2 ? window / 2 : window;
    d = d == 0 ? 1 : d;
    uint64_t lines = (size + line - 1) / line;
    cache_prefetch_pattern_t p = {0, (uint32_t)line, pattern, false};
    switch (pattern) {
    case CACHE_ACCESS_SEQUENTIAL: p.prefetch_distance = (uint32_t)(lines < d ? lines : d); break;
    case CACHE_ACCESS_STRIDED: {
        uint64_t strides = (size + 2 * line - 1) / (2 * line);
        p.prefetch_stride = (uint32_t)(2 * line);
        p.prefetch_distance = (uint32_t)(strides < d ? strides : d);
        break;
    }
    case CACHE_ACCESS_RANDOM: p.prefetch_distance = region == 3 ? 0 : (uint32_t)lines; break;
    case CACHE_ACCESS_TEMPORAL:
        p.prefetch_distance = (uint32_t)(region == 3 ? (lines < d ? lines : d) : lines);
        break;
    }
    p.use_neon_prefetch = arm && p.prefetch_distance > 0;
    return p;
}

static cache_hierarchy_info_t hierarchy_of(cache_optimization_context_t* ctx)
{
    cache_hierarchy_info_t info;
    cr_assert(CAND(cache_get_hierarchy_info)(ctx, &info), "cache_get_hierarchy_info failed: %s",
              error_name(CAND(module_get_last_error)()));
    return info;
}

static const char* pattern_text(const cache_prefetch_pattern_t* p)
{
    return case_strf("{distance %u, stride %u, pattern %d, neon %d}", p->prefetch_distance,
                     p->prefetch_stride, (int)p->pattern, p->use_neon_prefetch);
}

static bool same_pattern(const cache_prefetch_pattern_t* a, const cache_prefetch_pattern_t* b)
{
    return a->prefetch_distance == b->prefetch_distance &&
           a->prefetch_stride == b->prefetch_stride && a->pattern == b->pattern &&
           a->use_neon_prefetch == b->use_neon_prefetch;
}

static const char* const pattern_names[] = {"SEQUENTIAL", "RANDOM", "STRIDED", "TEMPORAL"};

/* One static byte range stands for every data_ptr: generation never reads the data (11.3). */
static unsigned char data_block[64];

/* Every pattern at the region boundaries of the hierarchy (and around them). */
static void check_patterns(cache_optimization_context_t* ctx, const cache_hierarchy_info_t* h,
                           bool arm, cache_access_pattern_t pattern, const char* machine)
{
    uint64_t line = h->l1_cache_line_size ? h->l1_cache_line_size : 64;
    uint64_t sizes[] = {1,
                        line - 1,
                        line,
                        line + 1,
                        2 * line,
                        4096,
                        h->l1_cache_size / 2,
                        h->l1_cache_size / 2 + 1,
                        h->l2_cache_size / 2,
                        h->l2_cache_size / 2 + 1,
                        (uint64_t)64 << 20,
                        (uint64_t)3 << 30};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        if (sizes[i] == 0) {
            continue;
        }
        cache_prefetch_pattern_t got;
        memset(&got, 0x3C, sizeof(got));
        cr_assert(
            CAND(cache_generate_prefetch_pattern)(ctx, data_block, (size_t)sizes[i], pattern, &got),
            "%s: %s over %llu bytes failed: %s", machine, pattern_names[pattern],
            (unsigned long long)sizes[i], error_name(CAND(module_get_last_error)()));
        cache_prefetch_pattern_t want = expected_pattern(h, arm, sizes[i], pattern);
        cr_assert(same_pattern(&got, &want),
                  "%s: %s over %llu bytes gave %s, SPEC 11.4-11.9 give %s", machine,
                  pattern_names[pattern], (unsigned long long)sizes[i], pattern_text(&got),
                  pattern_text(&want));
    }
}

static void check_live(cache_access_pattern_t pattern)
{
    cache_optimization_context_t* ctx = case_cache_new();
    cache_hierarchy_info_t h = hierarchy_of(ctx);
    check_patterns(ctx, &h, LIVE_MACHINE_IS_ARM, pattern, "live machine");
    CAND(cache_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(cache_ctx, CACHE_CTX_001, "10.14",
                 "cache_optimization_create gives distinct live contexts; destroy frees them; "
                 "destroy(NULL) does nothing")
{
    capture_start();
    CAND(module_load)(NULL, "x.so"); /* a failure first: create must reset it (10.2) */
    capture_take(NULL);
    cache_optimization_context_t* a = case_cache_new();
    expect_success("cache_optimization_create after a failing call (SPEC 10.2)");
    cache_optimization_context_t* b = case_cache_new();
    cr_assert(a != b, "two live contexts have the same value");
    CAND(module_load)(NULL, "x.so");
    capture_take(NULL);
    CAND(cache_optimization_destroy)(NULL);
    expect_last_error(MODULE_ERROR_INVALID_PARAMETER,
                      "cache_optimization_destroy(NULL) (must not touch the last error)");
    cr_assert(capture_take(NULL) == 0,
              "cache_optimization_destroy(NULL) called the error callback");
    CAND(cache_optimization_destroy)(a);
    expect_success("cache_optimization_destroy");
    hierarchy_of(b);
    CAND(cache_optimization_destroy)(b);
}

CONFORMANCE_CASE(
    cache_ctx, CACHE_CTX_002, "10.1",
    "the cache functions return false for a NULL context or a NULL info, output or pattern")
{
    cache_hierarchy_info_t info;
    cache_prefetch_pattern_t out;
    cache_prefetch_pattern_t pattern = {1, 64, CACHE_ACCESS_SEQUENTIAL, false};
    cr_assert(!CAND(cache_get_hierarchy_info)(NULL, &info),
              "cache_get_hierarchy_info(NULL, "
              "&info) returned true; expected false (SPEC 10.1)");
    cr_assert(!CAND(cache_generate_prefetch_pattern)(NULL, data_block, 4096,
                                                     CACHE_ACCESS_SEQUENTIAL, &out),
              "cache_generate_prefetch_pattern(NULL context, ...) returned true; expected false "
              "(SPEC 10.1)");
    cr_assert(!CAND(cache_apply_prefetch_pattern)(NULL, &pattern),
              "cache_apply_prefetch_pattern("
              "NULL, &pattern) returned true; expected false (SPEC 10.1)");
    cache_optimization_context_t* ctx = CAND(cache_optimization_create)();
    if (ctx == NULL) {
        conformance_not_supported("cache_optimization_create returned NULL (allowed: SPEC 10.1), "
                                  "so no live context can be given NULL pointers");
    }
    cr_assert(!CAND(cache_get_hierarchy_info)(ctx, NULL),
              "cache_get_hierarchy_info(ctx, NULL) "
              "returned true; expected false (SPEC 10.1)");
    cr_assert(!CAND(cache_generate_prefetch_pattern)(ctx, data_block, 4096, CACHE_ACCESS_SEQUENTIAL,
                                                     NULL),
              "cache_generate_prefetch_pattern(ctx, ..., NULL output) returned true; expected "
              "false (SPEC 10.1)");
    cr_assert(!CAND(cache_apply_prefetch_pattern)(ctx, NULL),
              "cache_apply_prefetch_pattern(ctx, "
              "NULL) returned true; expected false (SPEC 10.1)");
    CAND(cache_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(cache_ctx, CACHE_CTX_003, "10.14",
                 "values that are not live cache contexts fail with INVALID_PARAMETER in every "
                 "cache function, unread")
{
    int local = 0x5A5A5A5A;
    bad_context_t bad[BAD_CONTEXT_COUNT];
    bad_contexts(CONTEXT_CACHE, &local, bad);
    cache_prefetch_pattern_t pattern = {1, 64, CACHE_ACCESS_SEQUENTIAL, false};
    capture_start();
    for (size_t i = 0; i < BAD_CONTEXT_COUNT; i++) {
        cache_optimization_context_t* ctx = bad[i].value;
        cache_hierarchy_info_t info, before;
        memset(&info, 0x3C, sizeof(info));
        before = info;
        cr_assert(!CAND(cache_get_hierarchy_info)(ctx, &info),
                  "cache_get_hierarchy_info(%s) returned true", bad[i].what);
        expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                       case_strf("cache_get_hierarchy_info(%s)", bad[i].what));
        cr_assert(memcmp(&info, &before, sizeof(info)) == 0,
                  "cache_get_hierarchy_info(%s) wrote *info", bad[i].what);
        cache_prefetch_pattern_t out, out_before;
        memset(&out, 0x3C, sizeof(out));
        out_before = out;
        cr_assert(!CAND(cache_generate_prefetch_pattern)(ctx, data_block, 4096,
                                                         CACHE_ACCESS_SEQUENTIAL, &out),
                  "cache_generate_prefetch_pattern(%s) returned true", bad[i].what);
        expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                       case_strf("cache_generate_prefetch_pattern(%s)", bad[i].what));
        cr_assert(memcmp(&out, &out_before, sizeof(out)) == 0,
                  "cache_generate_prefetch_pattern(%s) wrote *out", bad[i].what);
        cr_assert(!CAND(cache_apply_prefetch_pattern)(ctx, &pattern),
                  "cache_apply_prefetch_pattern(%s) returned true", bad[i].what);
        expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                       case_strf("cache_apply_prefetch_pattern(%s)", bad[i].what));
        if (ctx != NULL) {
            CAND(cache_optimization_destroy)(ctx);
            expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                           case_strf("cache_optimization_destroy(%s)", bad[i].what));
        }
    }
    apple_silicon_info_t apple;
    cr_assert(CAND(jit_get_apple_silicon_info)(bad[5].value, &apple),
              "cache_optimization_destroy destroyed a JIT context");
}

CONFORMANCE_CASE(cache_info, CACHE_INFO_001, "11.2",
                 "cache_get_hierarchy_info fills the view; NULL info is invalid; every context "
                 "gives the same view")
{
    cache_optimization_context_t* a = case_cache_new();
    cache_optimization_context_t* b = case_cache_new();
    capture_start();
    cr_assert(!CAND(cache_get_hierarchy_info)(a, NULL),
              "cache_get_hierarchy_info(ctx, NULL) returned true");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER, "cache_get_hierarchy_info(ctx, NULL)");
    cache_hierarchy_info_t x = hierarchy_of(a), y = hierarchy_of(b);
    expect_success("cache_get_hierarchy_info");
    cr_assert(x.l1_cache_size == y.l1_cache_size && x.l1_cache_line_size == y.l1_cache_line_size &&
                  x.l2_cache_size == y.l2_cache_size && x.l3_cache_size == y.l3_cache_size &&
                  x.l1_associativity == y.l1_associativity &&
                  x.l2_associativity == y.l2_associativity && x.has_prefetcher == y.has_prefetcher,
              "two contexts on one machine give different views");
    uint32_t line = x.l1_cache_line_size;
    cr_assert((line & (line - 1)) == 0, "l1_cache_line_size %u is not a power of two", line);
    cr_assert(x.l1_cache_size == 0 || x.l2_cache_size == 0 || x.l1_cache_size <= x.l2_cache_size,
              "L1 %u bytes is larger than L2 %u bytes", x.l1_cache_size, x.l2_cache_size);
    CAND(cache_optimization_destroy)(a);
    CAND(cache_optimization_destroy)(b);
}

CONFORMANCE_CASE(cache_pf, CACHE_PF_001, "11.3",
                 "NULL data, NULL output, size 0, a wrapping range or an unknown pattern fail with "
                 "INVALID_PARAMETER and are not remembered")
{
    cache_optimization_context_t* ctx = case_cache_new();
    capture_start();
    cache_prefetch_pattern_t out, before;
    memset(&out, 0x3C, sizeof(out));
    before = out;
    struct {
        const void* data;
        size_t size;
        int pattern;
        bool null_out;
        const char* what;
    } bad[] = {
        {NULL, 4096, CACHE_ACCESS_SEQUENTIAL, false, "data_ptr NULL"},
        {data_block, 4096, CACHE_ACCESS_SEQUENTIAL, true, "prefetch_pattern NULL"},
        {data_block, 0, CACHE_ACCESS_SEQUENTIAL, false, "data_size 0"},
        {(const void*)(UINTPTR_MAX - 99), 200, CACHE_ACCESS_SEQUENTIAL, false,
         "a range wrapping around"},
        {data_block, 4096, 4, false, "pattern 4"},
        {data_block, 4096, -1, false, "pattern -1"},
        {data_block, 4096, 1000, false, "pattern 1000"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        cr_assert(!CAND(cache_generate_prefetch_pattern)(ctx, bad[i].data, bad[i].size,
                                                         (cache_access_pattern_t)bad[i].pattern,
                                                         bad[i].null_out ? NULL : &out),
                  "%s was accepted", bad[i].what);
        expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                       case_strf("cache_generate_prefetch_pattern(%s)", bad[i].what));
    }
    cr_assert(memcmp(&out, &before, sizeof(out)) == 0, "a failing call wrote *prefetch_pattern");
    /* Nothing was remembered: the pattern a valid call would give cannot be applied yet. */
    cache_hierarchy_info_t h = hierarchy_of(ctx);
    cache_prefetch_pattern_t would =
        expected_pattern(&h, LIVE_MACHINE_IS_ARM, 4096, CACHE_ACCESS_SEQUENTIAL);
    cr_assert(!CAND(cache_apply_prefetch_pattern)(ctx, &would),
              "a failed generation was remembered and applied");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                   "cache_apply_prefetch_pattern after failed generations only");
    CAND(cache_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(
    cache_pf, CACHE_PF_002, "11.5",
    "sequential: stride one line, distance min(lines, D) at every region boundary (live machine)")
{
    check_live(CACHE_ACCESS_SEQUENTIAL);
}

CONFORMANCE_CASE(
    cache_pf, CACHE_PF_003, "11.6",
    "strided: stride two lines, distance min(strides, D) at every region boundary (live machine)")
{
    check_live(CACHE_ACCESS_STRIDED);
}

CONFORMANCE_CASE(cache_pf, CACHE_PF_004, "11.7",
                 "random: the whole set within L2/2, nothing beyond (live machine)")
{
    check_live(CACHE_ACCESS_RANDOM);
}

CONFORMANCE_CASE(cache_pf, CACHE_PF_005, "11.8",
                 "temporal: the whole set within L2/2, the stream window beyond (live machine)")
{
    check_live(CACHE_ACCESS_TEMPORAL);
}

/* Every pattern on a recorded machine, with its expected hierarchy (needs replay, 13.2). */
static void check_recorded(const char* name)
{
    const topology_machine_t* m = topology_machine(name);
    topology_replay_require(m);
    cache_optimization_context_t* ctx = case_cache_new();
    bool arm = strcmp(m->vendor, "Apple") == 0 || strcmp(m->vendor, "ARM") == 0;
    for (int p = CACHE_ACCESS_SEQUENTIAL; p <= CACHE_ACCESS_TEMPORAL; p++) {
        check_patterns(ctx, &m->cache, arm, (cache_access_pattern_t)p, name);
    }
    CAND(cache_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(
    cache_pf, CACHE_PF_006, "11.4",
    "patterns scale with the recorded machine's caches and line size; NEON on ARM machines only")
{
    check_recorded("macos-m1-pro-monterey");   /* 128-byte lines, 128 KiB L1: W 64, NEON */
    check_recorded("linux-arm-2c-cortex-a9");  /* no cache sizes recorded: W 8, line 64, NEON */
    check_recorded("linux-amd-opteron-8node"); /* 64 KiB L1, 1 MiB L2: W 64, no NEON */
    check_recorded("linux-intel-lakefield-hybrid"); /* 48 KiB L1, 512 KiB L2: W 48, no NEON */
    /* One figure written out, in case the suite's statement of 11.4 and a candidate agree on
     * something else: M1 Pro, 64 MiB sequential: stride 128, distance W = 131072/(16*128) = 64. */
    topology_select(topology_machine("macos-m1-pro-monterey"));
    cache_optimization_context_t* ctx = case_cache_new();
    cache_prefetch_pattern_t p;
    cr_assert(
        CAND(cache_generate_prefetch_pattern)(ctx, data_block, (size_t)64 << 20,
                                              CACHE_ACCESS_SEQUENTIAL, &p),
        "cache_generate_prefetch_pattern of a valid range returned false with %s; expected true",
        error_name(CAND(module_get_last_error)()));
    cr_assert(p.prefetch_stride == 128 && p.prefetch_distance == 64 && p.use_neon_prefetch,
              "M1 Pro, 64 MiB sequential: %s, expected {distance 64, stride 128, neon 1}",
              pattern_text(&p));
    CAND(cache_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(cache_apply, CACHE_APPLY_001, "11.10",
                 "apply succeeds for a pattern this context generated, fails for any other or NULL")
{
    cache_optimization_context_t* ctx = case_cache_new();
    cache_optimization_context_t* other = case_cache_new();
    capture_start();
    unsigned char* data = case_alloc(1 << 20);
    cache_prefetch_pattern_t p;
    cr_assert(
        CAND(cache_generate_prefetch_pattern)(ctx, data, 1 << 20, CACHE_ACCESS_SEQUENTIAL, &p),
        "cache_generate_prefetch_pattern of a valid range returned false with %s; expected true",
        error_name(CAND(module_get_last_error)()));
    capture_take(NULL);
    cr_assert(!CAND(cache_apply_prefetch_pattern)(other, &p),
              "another context applied a pattern it never generated");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                   "cache_apply_prefetch_pattern in another context");
    cr_assert(!CAND(cache_apply_prefetch_pattern)(ctx, NULL), "a NULL pattern was applied");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER, "cache_apply_prefetch_pattern(ctx, NULL)");
    cache_prefetch_pattern_t changed = p;
    changed.prefetch_distance++;
    cr_assert(!CAND(cache_apply_prefetch_pattern)(ctx, &changed),
              "a pattern with another distance was applied");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                   "cache_apply_prefetch_pattern of a changed pattern");
    changed = p;
    changed.use_neon_prefetch = !changed.use_neon_prefetch;
    cr_assert(!CAND(cache_apply_prefetch_pattern)(ctx, &changed),
              "a pattern with the other NEON flag was applied");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                   "cache_apply_prefetch_pattern of a changed pattern");
    cr_assert(CAND(cache_apply_prefetch_pattern)(ctx, &p), "the generated pattern was refused: %s",
              error_name(CAND(module_get_last_error)()));
    expect_success("cache_apply_prefetch_pattern");
    cr_assert(CAND(cache_apply_prefetch_pattern)(ctx, &p), "applying twice failed");
    /* Distance 0 (random beyond L2 or with no cache known): nothing to issue, still a success. */
    cr_assert(
        CAND(cache_generate_prefetch_pattern)(ctx, data, (size_t)1 << 40, CACHE_ACCESS_RANDOM, &p),
        "cache_generate_prefetch_pattern of a valid range returned false with %s; expected true",
        error_name(CAND(module_get_last_error)()));
    cr_assert(p.prefetch_distance == 0, "random over 1 TiB: distance %u, expected 0",
              p.prefetch_distance);
    cr_assert(CAND(cache_apply_prefetch_pattern)(ctx, &p), "a distance-0 pattern was refused");
    expect_success("cache_apply_prefetch_pattern of distance 0");
    CAND(cache_optimization_destroy)(other);
    CAND(cache_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(
    cache_apply, CACHE_APPLY_002, "11.10",
    "a context remembers its 16 most recent generations: the 17th-newest cannot be applied")
{
    cache_optimization_context_t* probe = case_cache_new();
    if (hierarchy_of(probe).l1_cache_size == 0) {
        /* Distinct patterns need a known L1; use a recorded machine that has one. */
        topology_replay_require(topology_machine("linux-amd-opteron-8node"));
    }
    CAND(cache_optimization_destroy)(probe);
    cache_optimization_context_t* ctx = case_cache_new();
    cache_hierarchy_info_t h = hierarchy_of(ctx);
    uint32_t line = h.l1_cache_line_size ? h.l1_cache_line_size : 64;
    cache_prefetch_pattern_t made[17];
    for (uint32_t k = 0; k < 17; k++) { /* random within L1/2: distance = lines, all distinct */
        cr_assert(CAND(cache_generate_prefetch_pattern)(ctx, data_block, (size_t)(k + 1) * line,
                                                        CACHE_ACCESS_RANDOM, &made[k]),
                  "cache_generate_prefetch_pattern %u of a valid range returned false with %s; "
                  "expected true",
                  k, error_name(CAND(module_get_last_error)()));
        cr_assert(made[k].prefetch_distance == k + 1, "random over %u lines: distance %u", k + 1,
                  made[k].prefetch_distance);
    }
    capture_start();
    cr_assert(!CAND(cache_apply_prefetch_pattern)(ctx, &made[0]),
              "the 17th-newest generation was still applied");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                   "cache_apply_prefetch_pattern of a forgotten pattern");
    for (int k = 1; k < 17; k++) {
        cr_assert(CAND(cache_apply_prefetch_pattern)(ctx, &made[k]),
                  "generation %d of the last 16 was refused", k);
    }
    CAND(cache_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(
    cache_apply, CACHE_APPLY_003, "11.10",
    "applying over memory unmapped or made inaccessible since the generation does not fault")
{
    cache_optimization_context_t* ctx = case_cache_new();
    size_t size = 1 << 20;
    void* gone = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    void* locked = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert(gone != MAP_FAILED && locked != MAP_FAILED, "harness: mmap");
    cache_prefetch_pattern_t a, b;
    cr_assert(
        CAND(cache_generate_prefetch_pattern)(ctx, gone, size, CACHE_ACCESS_SEQUENTIAL, &a),
        "cache_generate_prefetch_pattern of a valid range returned false with %s; expected true",
        error_name(CAND(module_get_last_error)()));
    cr_assert(munmap(gone, size) == 0, "harness: munmap");
    cr_assert(CAND(cache_apply_prefetch_pattern)(ctx, &a),
              "applying over an unmapped range failed");
    cr_assert(
        CAND(cache_generate_prefetch_pattern)(ctx, locked, size / 2, CACHE_ACCESS_TEMPORAL, &b),
        "cache_generate_prefetch_pattern of a valid range returned false with %s; expected true",
        error_name(CAND(module_get_last_error)()));
    cr_assert(mprotect(locked, size, PROT_NONE) == 0, "harness: mprotect");
    cr_assert(CAND(cache_apply_prefetch_pattern)(ctx, &b),
              "applying over a PROT_NONE range failed");
    munmap(locked, size);
    CAND(cache_optimization_destroy)(ctx);
}

typedef struct {
    cache_optimization_context_t* shared; /* every thread generates here */
    cache_optimization_context_t* own;    /* and applies here: the shared history of 16 could
                                             lose a pattern to the other threads in between */
    cache_hierarchy_info_t hierarchy;
    bool arm;
    int errors;
} pattern_worker_t;

static void* pattern_worker(void* opaque)
{
    pattern_worker_t* w = opaque;
    static unsigned char block[4096];
    for (int i = 0; i < 500; i++) {
        cache_access_pattern_t pattern = (cache_access_pattern_t)(i % 4);
        size_t size = (size_t)(i + 1) * 1000;
        cache_prefetch_pattern_t p, q;
        cache_prefetch_pattern_t want = expected_pattern(&w->hierarchy, w->arm, size, pattern);
        if (!conformance_candidate.cache_generate_prefetch_pattern(w->shared, block, size, pattern,
                                                                   &p) ||
            !same_pattern(&p, &want) ||
            !conformance_candidate.cache_generate_prefetch_pattern(w->own, block, size, pattern,
                                                                   &q) ||
            !conformance_candidate.cache_apply_prefetch_pattern(w->own, &q)) {
            w->errors++;
        }
    }
    return NULL;
}

CONFORMANCE_CASE(
    cache_pf, CACHE_PF_007, "10.3",
    "4 threads generating on one context all get SPEC 11 patterns; each applies in its own")
{
    optimization_require_all();
    cache_optimization_context_t* ctx = case_cache_new();
    pattern_worker_t workers[4];
    pthread_t threads[4];
    for (int t = 0; t < 4; t++) {
        workers[t] =
            (pattern_worker_t){ctx, case_cache_new(), hierarchy_of(ctx), LIVE_MACHINE_IS_ARM, 0};
        cr_assert(pthread_create(&threads[t], NULL, pattern_worker, &workers[t]) == 0,
                  "harness: pthread_create");
    }
    for (int t = 0; t < 4; t++) {
        pthread_join(threads[t], NULL);
        cr_assert(workers[t].errors == 0,
                  "thread %d: %d of 500 generate/apply pairs failed or differed", t,
                  workers[t].errors);
        CAND(cache_optimization_destroy)(workers[t].own);
    }
    CAND(cache_optimization_destroy)(ctx);
}
