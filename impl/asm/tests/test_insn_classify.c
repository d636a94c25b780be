/*
 * test_insn_classify.c — the classifier: assembly, C twin and dispatched name against
 * independently known answers (assembled golden words, generated programs, hand-built edge
 * cases), and assembly against the C twin on random words at many sizes and alignments.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "a64_golden.h"
#include "a64_program.h"
#include "insn_classify.h"
#include "kernel_test_support.h"

typedef bool (*classify_fn)(const void*, size_t, coremod_insn_counts_t*);

typedef struct {
    const char* name;
    classify_fn fn;
} classifier_t;

/* Every implementation this CPU can run. */
static size_t classifiers(classifier_t out[3])
{
    size_t n = 0;
    out[n++] = (classifier_t){"c", coremod_insn_classify_c};
    out[n++] = (classifier_t){"dispatched", coremod_insn_classify};
#if COREMOD_KERNELS_HAVE_ASM
    if (coremod_insn_classify_asm_supported())
        out[n++] = (classifier_t){"asm", coremod_insn_classify_asm};
#endif
    return n;
}

#define FIELD_EQ(a, b, f, who, what)                                                               \
    cr_assert_eq((a)->f, (b)->f, "%s, %s: " #f " = %llu, expected %llu", who, what,                \
                 (unsigned long long)(a)->f, (unsigned long long)(b)->f)

static void assert_counts_eq(const coremod_insn_counts_t* got, const coremod_insn_counts_t* want,
                             const char* who, const char* what)
{
    FIELD_EQ(got, want, total, who, what);
    FIELD_EQ(got, want, branches, who, what);
    FIELD_EQ(got, want, conditional_branches, who, what);
    FIELD_EQ(got, want, unconditional_immediate, who, what);
    FIELD_EQ(got, want, calls, who, what);
    FIELD_EQ(got, want, returns, who, what);
    FIELD_EQ(got, want, indirect_branches, who, what);
    FIELD_EQ(got, want, backward_branches, who, what);
    FIELD_EQ(got, want, loop_words_sum, who, what);
    FIELD_EQ(got, want, loop_words_max, who, what);
    FIELD_EQ(got, want, simd_fp, who, what);
    FIELD_EQ(got, want, loads, who, what);
    FIELD_EQ(got, want, stores, who, what);
}

static void check_all(const void* code, size_t n, const coremod_insn_counts_t* want,
                      const char* what)
{
    classifier_t impls[3];
    size_t count = classifiers(impls);
    for (size_t i = 0; i < count; i++) {
        coremod_insn_counts_t got;
        memset(&got, 0xA5, sizeof got); /* every field must be written */
        cr_assert(impls[i].fn(code, n, &got), "%s, %s: returned false", impls[i].name, what);
        assert_counts_eq(&got, want, impls[i].name, what);
    }
}

static coremod_insn_counts_t golden_expected(const a64_golden_t* g, size_t n)
{
    coremod_insn_counts_t e = {0};
    e.total = n;
    for (size_t i = 0; i < n; i++) {
        unsigned c = g[i].classes;
        e.conditional_branches += !!(c & G_COND);
        e.unconditional_immediate += !!(c & G_UNCOND);
        e.indirect_branches += !!(c & G_INDIRECT);
        e.branches += !!(c & (G_COND | G_UNCOND | G_INDIRECT));
        e.calls += !!(c & G_CALL);
        e.returns += !!(c & G_RET);
        e.simd_fp += !!(c & G_SIMD);
        e.loads += !!(c & G_LOAD);
        e.stores += !!(c & G_STORE);
        if (g[i].loop) {
            e.backward_branches++;
            e.loop_words_sum += g[i].loop;
            if (g[i].loop > e.loop_words_max)
                e.loop_words_max = g[i].loop;
        }
    }
    return e;
}

Test(insn_classify, golden_words_one_by_one)
{
    for (size_t i = 0; i < a64_golden_count; i++) {
        coremod_insn_counts_t want = golden_expected(&a64_golden[i], 1);
        check_all(&a64_golden[i].word, 1, &want, a64_golden[i].source);
    }
}

Test(insn_classify, golden_program_whole)
{
    uint32_t words[256];
    cr_assert(a64_golden_count <= 256);
    for (size_t i = 0; i < a64_golden_count; i++)
        words[i] = a64_golden[i].word;
    coremod_insn_counts_t want = golden_expected(a64_golden, a64_golden_count);
    check_all(words, a64_golden_count, &want, "whole golden table");
    /* a sanity floor on the table itself, so a truncated table cannot pass quietly */
    cr_assert_geq(want.loads, 30);
    cr_assert_geq(want.stores, 15);
    cr_assert_geq(want.backward_branches, 5);
}

Test(insn_classify, generated_programs_many_sizes)
{
    test_rng_t rng = test_rng_seeded(20240611);
    size_t sizes[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 100, 255, 1000, 4099};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        for (int round = 0; round < 20; round++) {
            uint32_t* words = calloc(sizes[s] + 1, sizeof *words);
            cr_assert_not_null(words);
            coremod_insn_counts_t want = {0};
            size_t n = 0;
            while (n < sizes[s])
                a64_emit_random(&rng, words, &n, &want);
            want.total = n;
            char what[64];
            snprintf(what, sizeof what, "generated program of %zu words, round %d (seed 20240611)",
                     n, round);
            check_all(words, n, &want, what);
            free(words);
        }
    }
}

/* Each immediate branch kind at its extreme and small offsets. */
Test(insn_classify, branch_offset_extremes)
{
    struct {
        uint32_t word;
        int64_t offset;
        int cond, call;
    } cases[] = {
        {a64_b(A64_IMM26_MIN), A64_IMM26_MIN, 0, 0},
        {a64_b(A64_IMM26_MAX), A64_IMM26_MAX, 0, 0},
        {a64_b(-1), -1, 0, 0},
        {a64_b(0), 0, 0, 0},
        {a64_b(1), 1, 0, 0},
        {a64_bl(A64_IMM26_MIN), 0, 0, 1}, /* a call is never a loop */
        {a64_bl(-1), 0, 0, 1},
        {a64_bcond(1, A64_IMM19_MIN), A64_IMM19_MIN, 1, 0},
        {a64_bcond(14, A64_IMM19_MAX), A64_IMM19_MAX, 1, 0},
        {a64_bccond(0, -3), -3, 1, 0},
        {a64_cbz(1, 0, 3, A64_IMM19_MIN), A64_IMM19_MIN, 1, 0},
        {a64_cbz(0, 1, 31, -1), -1, 1, 0},
        {a64_tbz(63, 1, 0, A64_IMM14_MIN), A64_IMM14_MIN, 1, 0},
        {a64_tbz(0, 0, 7, A64_IMM14_MAX), A64_IMM14_MAX, 1, 0},
        {a64_tbz(40, 0, 7, -1), -1, 1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        coremod_insn_counts_t want = {0};
        want.total = 1;
        want.branches = 1;
        want.conditional_branches = (uint64_t)cases[i].cond;
        want.unconditional_immediate = (uint64_t)!cases[i].cond;
        want.calls = (uint64_t)cases[i].call;
        if (cases[i].offset < 0) {
            want.backward_branches = 1;
            want.loop_words_sum = want.loop_words_max = (uint64_t)-cases[i].offset;
        }
        char what[64];
        snprintf(what, sizeof what, "case %zu, word 0x%08x", i, (unsigned)cases[i].word);
        check_all(&cases[i].word, 1, &want, what);
    }
}

/* More words than one accumulation block (2^18 on x86-64, 2^17 on AArch64), all of them the
 * longest possible loop: the 16-bit lane counters and 32-bit sums must not overflow. */
Test(insn_classify, large_input_crosses_blocks_without_overflow)
{
    size_t n = (1u << 19) + 13;
    uint32_t* words = malloc(n * sizeof *words);
    cr_assert_not_null(words);
    for (size_t i = 0; i < n; i++)
        words[i] = a64_b(A64_IMM26_MIN);
    coremod_insn_counts_t want = {0};
    want.total = want.branches = want.unconditional_immediate = want.backward_branches = n;
    want.loop_words_sum = (uint64_t)n << 25;
    want.loop_words_max = UINT64_C(1) << 25;
    check_all(words, n, &want, "2^19 + 13 x B -2^25");
    free(words);
}

/* Random words: no independent answer, but every implementation must agree with the C twin at
 * every size and alignment (the tail and masked loads are where vector code goes wrong). */
Test(insn_classify, random_words_equal_c_twin_all_sizes_and_alignments)
{
    test_rng_t rng = test_rng_seeded(77);
    enum { MAX_WORDS = 300 };
    unsigned char* buffer = malloc(MAX_WORDS * 4 + 8);
    cr_assert_not_null(buffer);
    for (size_t n = 0; n <= MAX_WORDS; n++) {
        for (size_t misalign = 0; misalign < 4; misalign++) {
            unsigned char* code = buffer + misalign;
            for (size_t i = 0; i < n * 4; i++)
                code[i] = (unsigned char)test_rng_next(&rng);
            coremod_insn_counts_t want;
            cr_assert(coremod_insn_classify_c(code, n, &want));
            char what[64];
            snprintf(what, sizeof what, "%zu random words at offset %zu (seed 77)", n, misalign);
            check_all(code, n, &want, what);
        }
    }
    free(buffer);
}

Test(insn_classify, bad_arguments_are_rejected_and_leave_output_alone)
{
    classifier_t impls[3];
    size_t count = classifiers(impls);
    uint32_t word = a64_ret(30);
    for (size_t i = 0; i < count; i++) {
        coremod_insn_counts_t out;
        memset(&out, 0x5A, sizeof out);
        coremod_insn_counts_t before = out;
        cr_assert_not(impls[i].fn(&word, 1, NULL), "%s: NULL out", impls[i].name);
        cr_assert_not(impls[i].fn(NULL, 1, &out), "%s: NULL code with words", impls[i].name);
        cr_assert_eq(memcmp(&out, &before, sizeof out), 0, "%s: output changed on failure",
                     impls[i].name);
        cr_assert(impls[i].fn(NULL, 0, &out), "%s: NULL code, 0 words is empty", impls[i].name);
        coremod_insn_counts_t zero = {0};
        assert_counts_eq(&out, &zero, impls[i].name, "empty input");
    }
}
