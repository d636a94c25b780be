/*
 * cases_jit.c — the JIT Optimization API (SPEC 10): contexts and errors (10.1–10.3, shared with
 * sections 11 and 12), the Apple Silicon view (10.4) and every hint rule (10.5–10.13).
 *
 * Code buffers are built word by word (a64_code.h), so each buffer's figures — and therefore its
 * hints — are known by construction. Each rule is checked at its boundary from both sides.
 */
#include <pthread.h>

#include "a64_code.h"
#include "conformance.h"
#include "optimization_contexts.h"
#include "topology_replay.h"

/* The facts 10.12 and 10.13 read, from the candidate's NUMA view of the current machine. */
static a64_machine_t current_machine(void)
{
    numa_optimization_context_t* numa = case_numa_new();
    numa_topology_info_t info;
    cr_assert(CAND(numa_get_topology_info)(numa, &info), "numa_get_topology_info failed: %s",
              error_name(CAND(module_get_last_error)()));
    CAND(numa_optimization_destroy)(numa);
    return (a64_machine_t){info.has_heterogeneous_cores, info.p_core_count, info.e_core_count};
}

static jit_compilation_hints_t hints_of(jit_optimization_context_t* ctx, const a64_code_t* code,
                                        const char* what)
{
    jit_compilation_hints_t hints;
    memset(&hints, 0xA5, sizeof(hints));
    cr_assert(CAND(jit_generate_compilation_hints)(ctx, (const uint8_t*)code->words,
                                                   a64_bytes(code), &hints),
              "%s: jit_generate_compilation_hints failed: %s", what,
              error_name(CAND(module_get_last_error)()));
    expect_last_error(MODULE_SUCCESS, what);
    return hints;
}

/* The candidate's hints for `code` equal SPEC 10.7–10.13's; returns them. */
static jit_compilation_hints_t check_hints(jit_optimization_context_t* ctx, const a64_code_t* code,
                                           const a64_machine_t* machine, const char* what)
{
    jit_compilation_hints_t got = hints_of(ctx, code, what);
    jit_compilation_hints_t expected = a64_expected_hints(code, machine);
    a64_expect_hints(&got, &expected, what);
    return got;
}

/* A loop of `body` plain words closed by its backward branch. */
static void plain_loop(a64_code_t* code, uint32_t body)
{
    a64_other(code, body);
    a64_loop(code, body);
}

CONFORMANCE_CASE(jit_ctx, JIT_CTX_001, "10.14",
                 "jit_optimization_create gives distinct live contexts; destroy frees them; "
                 "destroy(NULL) does nothing")
{
    capture_start();
    CAND(module_load)(NULL, "x.so"); /* a failure first: create must reset it (10.2) */
    capture_take(NULL);
    jit_optimization_context_t* a = case_jit_new();
    expect_success("jit_optimization_create after a failing call (SPEC 10.2)");
    jit_optimization_context_t* b = case_jit_new();
    cr_assert(a != b, "two live contexts have the same value %p", (void*)a);
    CAND(module_load)(NULL, "x.so");
    capture_take(NULL);
    CAND(jit_optimization_destroy)(NULL);
    expect_last_error(MODULE_ERROR_INVALID_PARAMETER,
                      "jit_optimization_destroy(NULL) (must not touch the last error)");
    cr_assert(capture_take(NULL) == 0, "jit_optimization_destroy(NULL) called the error callback");
    CAND(jit_optimization_destroy)(a);
    expect_success("jit_optimization_destroy of a live context");
    apple_silicon_info_t info;
    cr_assert(CAND(jit_get_apple_silicon_info)(b, &info), "the other context died with the first");
    CAND(jit_optimization_destroy)(b);
    expect_success("jit_optimization_destroy");
}

CONFORMANCE_CASE(jit_ctx, JIT_CTX_002, "10.1",
                 "the JIT functions return false for a NULL context, info, buffer or hints")
{
    static const uint32_t code[4] = {0x91000400u, 0x91000400u, 0x91000400u, 0xD65F03C0u};
    apple_silicon_info_t info;
    jit_compilation_hints_t hints;
    cr_assert(!CAND(jit_get_apple_silicon_info)(NULL, &info),
              "jit_get_apple_silicon_info(NULL, "
              "&info) returned true; expected false (SPEC 10.1)");
    cr_assert(
        !CAND(jit_generate_compilation_hints)(NULL, (const uint8_t*)code, sizeof(code), &hints),
        "jit_generate_compilation_hints(NULL context, ...) returned true; expected false "
        "(SPEC 10.1)");
    jit_optimization_context_t* ctx = CAND(jit_optimization_create)();
    if (ctx == NULL) {
        conformance_not_supported("jit_optimization_create returned NULL (allowed: SPEC 10.1), so "
                                  "no live context can be given NULL pointers");
    }
    cr_assert(!CAND(jit_get_apple_silicon_info)(ctx, NULL),
              "jit_get_apple_silicon_info(ctx, NULL) "
              "returned true; expected false (SPEC 10.1)");
    cr_assert(
        !CAND(jit_generate_compilation_hints)(ctx, NULL, sizeof(code), &hints),
        "jit_generate_compilation_hints(ctx, NULL buffer, 16, &hints) returned true; expected "
        "false (SPEC 10.1, 10.5)");
    cr_assert(!CAND(jit_generate_compilation_hints)(ctx, (const uint8_t*)code, sizeof(code), NULL),
              "jit_generate_compilation_hints(ctx, code, 16, NULL hints) returned true; expected "
              "false (SPEC 10.1, 10.5)");
    CAND(jit_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(jit_ctx, JIT_CTX_003, "10.14",
                 "values that are not live JIT contexts fail with INVALID_PARAMETER in every JIT "
                 "function, unread")
{
    int local = 0x5A5A5A5A;
    bad_context_t bad[BAD_CONTEXT_COUNT];
    bad_contexts(CONTEXT_JIT, &local, bad);
    static const uint32_t code[4] = {0x91000400u, 0x91000400u, 0x91000400u, 0xD65F03C0u};
    capture_start();
    for (size_t i = 0; i < BAD_CONTEXT_COUNT; i++) {
        jit_optimization_context_t* ctx = bad[i].value;
        apple_silicon_info_t info, before;
        memset(&info, 0x3C, sizeof(info));
        before = info;
        cr_assert(!CAND(jit_get_apple_silicon_info)(ctx, &info),
                  "jit_get_apple_silicon_info(%s) returned true", bad[i].what);
        expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                       case_strf("jit_get_apple_silicon_info(%s)", bad[i].what));
        cr_assert(memcmp(&info, &before, sizeof(info)) == 0,
                  "jit_get_apple_silicon_info(%s) wrote *info", bad[i].what);
        jit_compilation_hints_t hints, hints_before;
        memset(&hints, 0x3C, sizeof(hints));
        hints_before = hints;
        cr_assert(
            !CAND(jit_generate_compilation_hints)(ctx, (const uint8_t*)code, sizeof(code), &hints),
            "jit_generate_compilation_hints(%s) returned true", bad[i].what);
        expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                       case_strf("jit_generate_compilation_hints(%s)", bad[i].what));
        cr_assert(memcmp(&hints, &hints_before, sizeof(hints)) == 0,
                  "jit_generate_compilation_hints(%s) wrote *hints", bad[i].what);
        if (ctx != NULL) {
            CAND(jit_optimization_destroy)(ctx);
            expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                           case_strf("jit_optimization_destroy(%s)", bad[i].what));
        }
    }
    /* The other APIs' contexts survived being passed to jit_optimization_destroy. */
    cache_hierarchy_info_t cache;
    cr_assert(CAND(cache_get_hierarchy_info)(bad[5].value, &cache),
              "jit_optimization_destroy destroyed a cache context");
    numa_topology_info_t numa;
    cr_assert(CAND(numa_get_topology_info)(bad[6].value, &numa),
              "jit_optimization_destroy destroyed a NUMA context");
}

CONFORMANCE_CASE(jit_info, JIT_INFO_001, "10.4",
                 "jit_get_apple_silicon_info fills the view, consistent with the NUMA and cache "
                 "views; NULL info is invalid")
{
    jit_optimization_context_t* ctx = case_jit_new();
    capture_start();
    cr_assert(!CAND(jit_get_apple_silicon_info)(ctx, NULL),
              "jit_get_apple_silicon_info(ctx, NULL) returned true");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER, "jit_get_apple_silicon_info(ctx, NULL)");
    apple_silicon_info_t info;
    cr_assert(CAND(jit_get_apple_silicon_info)(ctx, &info),
              "jit_get_apple_silicon_info of a live context returned false with %s; expected true",
              error_name(CAND(module_get_last_error)()));
    expect_success("jit_get_apple_silicon_info");
    machine_views_t views;
    module_error_t error;
    char message[512];
    cr_assert(topology_candidate_views(&views, &error, message, sizeof(message)),
              "creating the three contexts failed: %s %s", error_name(error), message);
    cr_assert(info.p_core_count == views.numa.p_core_count &&
                  info.e_core_count == views.numa.e_core_count,
              "P/E %u/%u, the NUMA view says %u/%u (SPEC 13.7)", info.p_core_count,
              info.e_core_count, views.numa.p_core_count, views.numa.e_core_count);
    cr_assert(info.l1_cache_size == views.cache.l1_cache_size &&
                  info.l2_cache_size == views.cache.l2_cache_size &&
                  info.l3_cache_size == views.cache.l3_cache_size,
              "L1/L2/L3 %llu/%llu/%llu, the cache view says %u/%u/%u (SPEC 13.7)",
              (unsigned long long)info.l1_cache_size, (unsigned long long)info.l2_cache_size,
              (unsigned long long)info.l3_cache_size, views.cache.l1_cache_size,
              views.cache.l2_cache_size, views.cache.l3_cache_size);
    cr_assert(info.p_core_count >= 1, "no P core (SPEC 13.4: one kind means all cores are P)");
    cr_assert(info.gpu_core_count == 0,
              "gpu_core_count %u: no source coremod reads reports GPU cores (SPEC 13.4)",
              info.gpu_core_count);
    cr_assert(info.has_amx == (info.generation != 0), "has_amx %d with generation %u (SPEC 13.4)",
              info.has_amx, info.generation);
    CAND(jit_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(
    jit_hint, JIT_HINT_001, "10.5",
    "hints of a code buffer hold a level 0-3, a core type 0-2 and a thermal budget 0.0-1.0")
{
    jit_optimization_context_t* ctx = CAND(jit_optimization_create)();
    if (ctx == NULL) {
        conformance_not_supported("jit_optimization_create returned NULL (allowed: SPEC 10.1)");
    }
    a64_code_t codes[3] = {a64_new(64), a64_new(256), a64_new(4096)};
    a64_ret(&codes[0], 64);
    while (codes[1].count + 40 <= 256) {
        a64_simd(&codes[1], 8);
        a64_load(&codes[1], 8);
        a64_other(&codes[1], 8);
        a64_loop(&codes[1], 24);
    }
    a64_ret(&codes[1], 256 - codes[1].count);
    while (codes[2].count + 24 <= 4096) {
        a64_call(&codes[2], 2);
        a64_forward(&codes[2], 4);
        a64_other(&codes[2], 12);
        a64_loop(&codes[2], 18);
    }
    a64_ret(&codes[2], 4096 - codes[2].count);
    for (size_t i = 0; i < 3; i++) {
        jit_compilation_hints_t hints;
        if (!CAND(jit_generate_compilation_hints)(ctx, (const uint8_t*)codes[i].words,
                                                  a64_bytes(&codes[i]), &hints)) {
            continue; /* false is allowed: 10.5 bounds the hints only when it returns true */
        }
        cr_assert(hints.optimization_level <= 3 && hints.target_core_type <= 2 &&
                      hints.thermal_budget >= 0.0f && hints.thermal_budget <= 1.0f,
                  "hints of %zu bytes of code: optimization_level %u, target_core_type %u, "
                  "thermal_budget %g; SPEC 10.5: level 0-3, core type 0 (auto), 1 (P) or 2 (E), "
                  "budget 0.0-1.0",
                  a64_bytes(&codes[i]), hints.optimization_level, (unsigned)hints.target_core_type,
                  (double)hints.thermal_budget);
    }
    CAND(jit_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(jit_hint, JIT_HINT_013, "10.15",
                 "NULL buffer, NULL hints, size 0 or not a multiple of 4 fail with "
                 "INVALID_PARAMETER, hints untouched")
{
    jit_optimization_context_t* ctx = case_jit_new();
    static const uint32_t code[4] = {0x91000400u, 0x91000400u, 0x91000400u, 0xD65F03C0u};
    static const size_t bad_sizes[] = {0, 1, 2, 3, 5, 6, 7, 13, 15};
    capture_start();
    jit_compilation_hints_t hints, before;
    memset(&hints, 0x3C, sizeof(hints));
    before = hints;
    cr_assert(!CAND(jit_generate_compilation_hints)(ctx, NULL, 16, &hints),
              "a NULL buffer was accepted");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                   "jit_generate_compilation_hints(ctx, NULL, 16, hints)");
    cr_assert(!CAND(jit_generate_compilation_hints)(ctx, (const uint8_t*)code, sizeof(code), NULL),
              "NULL hints were accepted");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                   "jit_generate_compilation_hints(ctx, code, 16, NULL)");
    for (size_t i = 0; i < sizeof(bad_sizes) / sizeof(bad_sizes[0]); i++) {
        cr_assert(
            !CAND(jit_generate_compilation_hints)(ctx, (const uint8_t*)code, bad_sizes[i], &hints),
            "code_size %zu was accepted", bad_sizes[i]);
        expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                       case_strf("jit_generate_compilation_hints(code_size %zu)", bad_sizes[i]));
    }
    cr_assert(memcmp(&hints, &before, sizeof(hints)) == 0, "a failing call wrote *hints");
    cr_assert(CAND(jit_generate_compilation_hints)(ctx, (const uint8_t*)code, 4, &hints),
              "one word was refused");
    expect_success("jit_generate_compilation_hints of one word");
    cr_assert(hints.optimization_level == 0,
              "one word: optimization_level %u, expected 0 (SPEC 10.11)", hints.optimization_level);
    CAND(jit_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(jit_hint, JIT_HINT_002, "10.7",
                 "loop unrolling: backward branches whose mean length is at most 32 words")
{
    jit_optimization_context_t* ctx = case_jit_new();
    a64_machine_t m = current_machine();
    a64_code_t c = a64_new(64);
    plain_loop(&c, 32);
    cr_assert(check_hints(ctx, &c, &m, "one loop of 32 words").enable_loop_unrolling,
              "a 32-word loop is not unrolled");
    c = a64_new(64);
    plain_loop(&c, 33);
    cr_assert(!check_hints(ctx, &c, &m, "one loop of 33 words").enable_loop_unrolling,
              "a 33-word loop is unrolled");
    c = a64_new(80);
    plain_loop(&c, 10);
    plain_loop(&c, 54);
    cr_assert(check_hints(ctx, &c, &m, "loops of 10 and 54 words").enable_loop_unrolling,
              "loops of mean 32 words are not unrolled");
    c = a64_new(80);
    plain_loop(&c, 10);
    plain_loop(&c, 55);
    cr_assert(!check_hints(ctx, &c, &m, "loops of 10 and 55 words").enable_loop_unrolling,
              "loops of mean 32.5 words are unrolled");
    c = a64_new(64);
    a64_other(&c, 40);
    a64_forward(&c, 1);
    cr_assert(!check_hints(ctx, &c, &m, "a forward branch only").enable_loop_unrolling,
              "a forward branch was taken for a loop");
    CAND(jit_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(jit_hint, JIT_HINT_003, "10.8",
                 "vectorization: SIMD/FP words at least 1/8 of the code")
{
    jit_optimization_context_t* ctx = case_jit_new();
    a64_machine_t m = current_machine();
    a64_code_t c = a64_new(64);
    a64_simd(&c, 8);
    a64_other(&c, 56);
    cr_assert(check_hints(ctx, &c, &m, "8 SIMD words of 64").enable_vectorization,
              "1/8 SIMD/FP is not vectorized");
    c = a64_new(64);
    a64_simd(&c, 7);
    a64_other(&c, 57);
    cr_assert(!check_hints(ctx, &c, &m, "7 SIMD words of 64").enable_vectorization,
              "7/64 SIMD/FP is vectorized");
    CAND(jit_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(
    jit_hint, JIT_HINT_004, "10.8",
    "vectorization and prefetch hints: call-free loops with loads+stores at least 1/4 of the code")
{
    jit_optimization_context_t* ctx = case_jit_new();
    a64_machine_t m = current_machine();
    a64_code_t c = a64_new(64);
    a64_load(&c, 8);
    a64_store(&c, 8);
    a64_other(&c, 47);
    a64_loop(&c, 63);
    jit_compilation_hints_t h = check_hints(ctx, &c, &m, "a loop with 16 memory words of 64");
    cr_assert(h.enable_vectorization && h.enable_prefetch_hints,
              "a memory-dense call-free loop: vectorization %d, prefetch %d",
              h.enable_vectorization, h.enable_prefetch_hints);
    c = a64_new(64);
    a64_load(&c, 8);
    a64_store(&c, 8);
    a64_call(&c, 1);
    a64_other(&c, 46);
    a64_loop(&c, 63);
    h = check_hints(ctx, &c, &m, "the same loop with a call");
    cr_assert(!h.enable_vectorization && h.enable_prefetch_hints,
              "a memory-dense loop with a call: vectorization %d, prefetch %d",
              h.enable_vectorization, h.enable_prefetch_hints);
    c = a64_new(64);
    a64_load(&c, 8);
    a64_store(&c, 7);
    a64_other(&c, 48);
    a64_loop(&c, 63);
    h = check_hints(ctx, &c, &m, "a loop with 15 memory words of 64");
    cr_assert(!h.enable_vectorization && !h.enable_prefetch_hints,
              "15/64 memory words: vectorization %d, prefetch %d", h.enable_vectorization,
              h.enable_prefetch_hints);
    CAND(jit_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(jit_hint, JIT_HINT_005, "10.9",
                 "prefetch hints need a loop: memory-dense straight-line code gets none")
{
    jit_optimization_context_t* ctx = case_jit_new();
    a64_machine_t m = current_machine();
    a64_code_t c = a64_new(64);
    a64_load(&c, 32);
    a64_other(&c, 32);
    jit_compilation_hints_t h = check_hints(ctx, &c, &m, "32 loads of 64, no loop");
    cr_assert(!h.enable_prefetch_hints && !h.enable_vectorization,
              "loop-free loads: prefetch %d, vectorization %d", h.enable_prefetch_hints,
              h.enable_vectorization);
    CAND(jit_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(jit_hint, JIT_HINT_006, "10.10",
                 "branch prediction: conditional branches at least 1/8 of the code")
{
    jit_optimization_context_t* ctx = case_jit_new();
    a64_machine_t m = current_machine();
    a64_code_t c = a64_new(64);
    a64_forward(&c, 8);
    a64_other(&c, 56);
    cr_assert(check_hints(ctx, &c, &m, "8 conditional branches of 64").enable_branch_prediction,
              "1/8 conditional branches gets no hints");
    c = a64_new(64);
    a64_forward(&c, 6);
    a64_other(&c, 57);
    a64_loop(&c, 63);
    cr_assert(!check_hints(ctx, &c, &m, "6 forward + 1 loop branch of 64").enable_branch_prediction,
              "7/64 conditional branches gets hints");
    c = a64_new(64);
    a64_forward(&c, 7);
    a64_other(&c, 56);
    a64_loop(&c, 63);
    cr_assert(check_hints(ctx, &c, &m, "7 forward + 1 loop branch of 64").enable_branch_prediction,
              "a loop's branch is not counted as conditional");
    CAND(jit_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(
    jit_hint, JIT_HINT_007, "10.11",
    "optimization level from size, loops, calls and the other hints (0, 1, 2, 3 at each boundary)")
{
    jit_optimization_context_t* ctx = case_jit_new();
    a64_machine_t m = current_machine();
    struct {
        uint32_t level;
        const char* what;
    } want[8];
    a64_code_t c[8];
    c[0] = a64_new(16);
    plain_loop(&c[0], 14);
    want[0].level = 0;
    want[0].what = "15 words with a loop";
    c[1] = a64_new(16);
    plain_loop(&c[1], 15);
    want[1].level = 3;
    want[1].what = "16 words, one short loop";
    c[2] = a64_new(128);
    a64_other(&c[2], 100);
    want[2].level = 1;
    want[2].what = "100 words, no loop";
    c[3] = a64_new(64);
    a64_call(&c[3], 4);
    a64_other(&c[3], 59);
    a64_loop(&c[3], 63);
    want[3].level = 1;
    want[3].what = "64 words with 4 calls (1/16) and a loop";
    c[4] = a64_new(64);
    a64_call(&c[4], 3);
    a64_other(&c[4], 60);
    a64_loop(&c[4], 63);
    want[4].level = 2;
    want[4].what = "64 words with 3 calls and a long loop";
    c[5] = a64_new(16384);
    a64_other(&c[5], 16367);
    plain_loop(&c[5], 16);
    want[5].level = 3;
    want[5].what = "16384 words with a short loop";
    c[6] = a64_new(16385);
    a64_other(&c[6], 16368);
    plain_loop(&c[6], 16);
    want[6].level = 2;
    want[6].what = "16385 words with a short loop";
    c[7] = a64_new(64);
    a64_back_call(&c[7], 1);
    a64_other(&c[7], 63);
    want[7].level = 1;
    want[7].what = "a backward BL (a call, not a loop)";
    for (int i = 0; i < 8; i++) {
        jit_compilation_hints_t h = check_hints(ctx, &c[i], &m, want[i].what);
        cr_assert(h.optimization_level == want[i].level, "%s: level %u, expected %u", want[i].what,
                  h.optimization_level, want[i].level);
    }
    CAND(jit_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(jit_hint, JIT_HINT_008, "10.12",
                 "target core and thermal budget on the live machine follow its core kinds")
{
    jit_optimization_context_t* ctx = case_jit_new();
    a64_machine_t m = current_machine();
    a64_code_t straight = a64_new(64), hot = a64_new(64), long_loop = a64_new(64);
    a64_other(&straight, 64);
    plain_loop(&hot, 20);
    a64_other(&long_loop, 10);
    plain_loop(&long_loop, 50);
    check_hints(ctx, &straight, &m, "straight-line code");
    check_hints(ctx, &hot, &m, "a short hot loop");
    jit_compilation_hints_t h = check_hints(ctx, &long_loop, &m, "a long loop");
    if (!m.heterogeneous) {
        cr_assert(h.target_core_type == 0, "one core kind: target %u, expected 0 (auto)",
                  h.target_core_type);
    }
    CAND(jit_optimization_destroy)(ctx);
}

/* 10.12/10.13 on a machine with P and E cores: needs replay (13.2). */
static void check_heterogeneous(const char* name, float auto_budget)
{
    const topology_machine_t* machine = topology_machine(name);
    topology_replay_require(machine);
    jit_optimization_context_t* ctx = case_jit_new();
    a64_machine_t m = {true, machine->numa.p_core_count, machine->numa.e_core_count};
    a64_code_t straight = a64_new(64), hot = a64_new(64), long_loop = a64_new(64);
    a64_other(&straight, 64);
    plain_loop(&hot, 20);
    a64_other(&long_loop, 10);
    plain_loop(&long_loop, 50);
    jit_compilation_hints_t h = check_hints(ctx, &hot, &m, case_strf("%s: a short hot loop", name));
    cr_assert(h.target_core_type == 1 && h.thermal_budget == 1.0f,
              "%s: level 3 code gets target %u, budget %g (expected 1, 1.0)", name,
              h.target_core_type, (double)h.thermal_budget);
    h = check_hints(ctx, &straight, &m, case_strf("%s: straight-line code", name));
    cr_assert(h.target_core_type == 2 && h.thermal_budget == 0.25f,
              "%s: loop-free code gets target %u, budget %g (expected 2, 0.25)", name,
              h.target_core_type, (double)h.thermal_budget);
    h = check_hints(ctx, &long_loop, &m, case_strf("%s: a long loop", name));
    cr_assert(h.target_core_type == 0 && h.thermal_budget == auto_budget,
              "%s: level 2 code gets target %u, budget %.9g (expected 0, %.9g)", name,
              h.target_core_type, (double)h.thermal_budget, (double)auto_budget);
    CAND(jit_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(
    jit_hint, JIT_HINT_009, "10.13",
    "on recorded P+E machines: level 3 -> P (1.0), loop-free -> E (0.25), else auto with P/(P+E)")
{
    check_heterogeneous("macos-m1-pro-monterey", 6.0f / 8.0f);
    check_heterogeneous("linux-intel-lakefield-hybrid", 1.0f / 5.0f);
    check_heterogeneous("linux-arm-x3-a715-a710-a510", 5.0f / 8.0f);
}

CONFORMANCE_CASE(jit_hint, JIT_HINT_010, "10.6",
                 "figures as SPEC 10.6 counts them: RET is not a call, a backward BL is not a "
                 "loop, any alignment")
{
    jit_optimization_context_t* ctx = case_jit_new();
    a64_machine_t m = current_machine();
    a64_code_t c = a64_new(64);
    a64_ret(&c, 4);
    a64_other(&c, 59);
    a64_loop(&c, 63);
    jit_compilation_hints_t h = check_hints(ctx, &c, &m, "4 RET + a long loop");
    cr_assert(h.optimization_level == 2, "RET counted as a call: level %u, expected 2",
              h.optimization_level);
    c = a64_new(64);
    a64_back_call(&c, 2);
    a64_load(&c, 16);
    a64_other(&c, 46);
    h = check_hints(ctx, &c, &m, "backward BLs and loads");
    cr_assert(!h.enable_loop_unrolling && !h.enable_prefetch_hints,
              "a backward BL taken for a loop");
    /* The same words at byte offsets 1, 2, 3 (10.5: any alignment). */
    a64_code_t mixed = a64_new(256);
    a64_simd(&mixed, 20);
    a64_load(&mixed, 30);
    a64_store(&mixed, 10);
    a64_forward(&mixed, 25);
    a64_call(&mixed, 3);
    a64_other(&mixed, 150);
    a64_loop(&mixed, 200);
    jit_compilation_hints_t aligned = check_hints(ctx, &mixed, &m, "a mixed buffer");
    uint8_t* bytes = case_alloc(a64_bytes(&mixed) + 4);
    for (size_t offset = 1; offset < 4; offset++) {
        memcpy(bytes + offset, mixed.words, a64_bytes(&mixed));
        jit_compilation_hints_t moved;
        cr_assert(
            CAND(jit_generate_compilation_hints)(ctx, bytes + offset, a64_bytes(&mixed), &moved),
            "offset %zu failed", offset);
        a64_expect_hints(&moved, &aligned,
                         case_strf("the mixed buffer at byte offset %zu", offset));
    }
    CAND(jit_optimization_destroy)(ctx);
}

typedef struct {
    jit_optimization_context_t* ctx;
    const a64_code_t* code;
    jit_compilation_hints_t expected;
    int mismatches;
} hint_worker_t;

static void* hint_worker(void* opaque)
{
    hint_worker_t* w = opaque;
    for (int i = 0; i < 200; i++) {
        jit_compilation_hints_t h;
        if (!conformance_candidate.jit_generate_compilation_hints(
                w->ctx, (const uint8_t*)w->code->words, a64_bytes(w->code), &h) ||
            h.optimization_level != w->expected.optimization_level ||
            h.enable_vectorization != w->expected.enable_vectorization ||
            h.enable_loop_unrolling != w->expected.enable_loop_unrolling ||
            h.enable_branch_prediction != w->expected.enable_branch_prediction ||
            h.enable_prefetch_hints != w->expected.enable_prefetch_hints ||
            h.target_core_type != w->expected.target_core_type ||
            h.thermal_budget != w->expected.thermal_budget) {
            w->mismatches++;
        }
    }
    return NULL;
}

CONFORMANCE_CASE(
    jit_hint, JIT_HINT_011, "10.3",
    "hints are deterministic: 4 threads on one context and a second context give the same hints")
{
    optimization_require_all();
    jit_optimization_context_t* ctx = case_jit_new();
    jit_optimization_context_t* other = case_jit_new();
    a64_machine_t m = current_machine();
    a64_code_t c = a64_new(1024);
    for (int i = 0; i < 16; i++) {
        a64_simd(&c, 12);
        a64_load(&c, 10);
        a64_store(&c, 6);
        a64_forward(&c, 3);
        plain_loop(&c, 30);
    }
    jit_compilation_hints_t expected = check_hints(ctx, &c, &m, "a 16-loop buffer");
    jit_compilation_hints_t again = check_hints(other, &c, &m, "the same buffer, another context");
    a64_expect_hints(&again, &expected, "a second context");
    hint_worker_t workers[4];
    pthread_t threads[4];
    for (int t = 0; t < 4; t++) {
        workers[t] = (hint_worker_t){ctx, &c, expected, 0};
        cr_assert(pthread_create(&threads[t], NULL, hint_worker, &workers[t]) == 0,
                  "harness: pthread_create");
    }
    for (int t = 0; t < 4; t++) {
        pthread_join(threads[t], NULL);
        cr_assert(workers[t].mismatches == 0, "thread %d got %d failed or different answers of 200",
                  t, workers[t].mismatches);
    }
    CAND(jit_optimization_destroy)(other);
    CAND(jit_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(jit_hint, JIT_HINT_012, "10.15",
                 "64 KiB of code (the P.9 workload) gets the hints SPEC 10 gives")
{
    jit_optimization_context_t* ctx = case_jit_new();
    a64_machine_t m = current_machine();
    a64_code_t c = a64_new(16384);
    while (c.count + 64 <= 16384) {
        a64_simd(&c, 9);
        a64_load(&c, 12);
        a64_store(&c, 5);
        a64_forward(&c, 4);
        a64_call(&c, 1);
        a64_other(&c, 32);
        a64_loop(&c, 63);
    }
    a64_ret(&c, 16384 - c.count);
    cr_assert(a64_bytes(&c) == 65536, "harness: buffer of %zu bytes", a64_bytes(&c));
    check_hints(ctx, &c, &m, "64 KiB of code");
    CAND(jit_optimization_destroy)(ctx);
}
