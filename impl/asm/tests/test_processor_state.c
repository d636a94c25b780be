/*
 * test_processor_state.c — the capture records the registers as the caller left them: an
 * assembly helper loads known values everywhere (capture_pattern.h) and every captured field is
 * checked exactly. The C twin, which cannot read registers, is held to what it documents:
 * exact pc and sp, and the rounding and exception bits of fpcr / fpsr.
 */
#include <criterion/criterion.h>
#include <fenv.h>
#include <stdbool.h>
#include <string.h>

#include "capture_pattern.h"
#include "processor_state.h"

#define U64(x) ((unsigned long long)(x))

/* The sticky exception-flag bits of fpsr (MXCSR bits 0-5; FPSR IOC..IXC, IDC and QC). */
#if defined(__aarch64__) || defined(__arm64__)
#define FPSR_FLAG_BITS UINT64_C(0x0800009F)
#else
#define FPSR_FLAG_BITS UINT64_C(0x3F)
#endif

/* Whether this CPU (or emulator) keeps floating-point exception flags. Valgrind does not: it
 * drops them from MXCSR, so under valgrind the flag bits are left out of the comparisons and
 * everything else is still checked. Hardware and qemu keep them. */
static bool fp_flags_are_kept(void)
{
    feclearexcept(FE_ALL_EXCEPT);
    feraiseexcept(FE_DIVBYZERO);
    bool kept = fetestexcept(FE_DIVBYZERO) != 0;
    feclearexcept(FE_ALL_EXCEPT);
    return kept;
}

typedef void (*capture_fn)(coremod_processor_state_t*);

static void capture_with_pattern(capture_fn fn, coremod_processor_state_t* st, uint64_t expected[4])
{
    memset(st, 0xCC, sizeof *st); /* a field left unwritten shows as 0xCCCC... */
    coremod_test_capture_with_pattern(st, expected, fn);
}

static void check_pc_and_sp(const coremod_processor_state_t* st, const uint64_t expected[4],
                            const char* who)
{
    cr_assert_eq(st->pc, expected[1], "%s: pc 0x%llx, return address 0x%llx", who, U64(st->pc),
                 U64(expected[1]));
    cr_assert_eq(st->sp, expected[0], "%s: sp 0x%llx, sp at the call 0x%llx", who, U64(st->sp),
                 U64(expected[0]));
}

#if COREMOD_KERNELS_HAVE_ASM
static void check_full_capture(capture_fn fn, const char* who)
{
    coremod_processor_state_t st;
    uint64_t expected[4];
    capture_with_pattern(fn, &st, expected);
    check_pc_and_sp(&st, expected, who);
    cr_assert_eq(st.fpcr, expected[2], "%s: fpcr 0x%llx, set 0x%llx", who, U64(st.fpcr),
                 U64(expected[2]));
    uint64_t fpsr_mask = fp_flags_are_kept() ? ~UINT64_C(0) : ~FPSR_FLAG_BITS;
    cr_assert_eq(st.fpsr & fpsr_mask, expected[3] & fpsr_mask, "%s: fpsr 0x%llx, set 0x%llx", who,
                 U64(st.fpsr), U64(expected[3]));
#if defined(__aarch64__) || defined(__arm64__)
    for (unsigned i = 0; i < 31; i++) {
        uint64_t want = PATTERN_GPR(i);
        if (i == 0)
            want = (uint64_t)(uintptr_t)&st;
        else if (i == 17)
            want = (uint64_t)(uintptr_t)fn;
        else if (i == 30)
            want = expected[1];
#if defined(__APPLE__)
        else if (i == 18)
            continue;
#endif
        cr_assert_eq(st.x[i], want, "%s: x%u = 0x%llx, expected 0x%llx", who, i, U64(st.x[i]),
                     U64(want));
    }
    cr_assert_eq(st.pstate, PATTERN_NZCV, "%s: NZCV 0x%llx", who, U64(st.pstate));
    for (unsigned i = 0; i < 32; i++) {
        cr_assert_eq(st.v[i][0], PATTERN_VEC_LO(i), "%s: v%u low 0x%llx", who, i, U64(st.v[i][0]));
        cr_assert_eq(st.v[i][1], PATTERN_VEC_HI(i), "%s: v%u high 0x%llx", who, i, U64(st.v[i][1]));
    }
#else
    for (unsigned i = 0; i < 31; i++) {
        uint64_t want = i < 16 ? PATTERN_GPR(i) : 0;
        if (i == 4)
            want = expected[0]; /* rsp */
        else if (i == 7)
            want = (uint64_t)(uintptr_t)&st; /* rdi */
        else if (i == 11)
            want = (uint64_t)(uintptr_t)fn; /* r11 */
        cr_assert_eq(st.x[i], want, "%s: x[%u] = 0x%llx, expected 0x%llx", who, i, U64(st.x[i]),
                     U64(want));
    }
    cr_assert_eq(st.pstate & PATTERN_RFLAGS_SET, PATTERN_RFLAGS_SET, "%s: RFLAGS 0x%llx", who,
                 U64(st.pstate));
    for (unsigned i = 0; i < 32; i++) {
        uint64_t lo = i < 16 ? PATTERN_VEC_LO(i) : 0, hi = i < 16 ? PATTERN_VEC_HI(i) : 0;
        cr_assert_eq(st.v[i][0], lo, "%s: v[%u] low 0x%llx", who, i, U64(st.v[i][0]));
        cr_assert_eq(st.v[i][1], hi, "%s: v[%u] high 0x%llx", who, i, U64(st.v[i][1]));
    }
#endif
}

Test(processor_state, asm_captures_every_register)
{
    check_full_capture(coremod_capture_processor_state_asm, "asm");
}
#endif

Test(processor_state, dispatched_captures_pc_sp_and_fp_control)
{
    coremod_processor_state_t st;
    uint64_t expected[4];
    capture_with_pattern(coremod_capture_processor_state, &st, expected);
    check_pc_and_sp(&st, expected, "dispatched");
    cr_assert_eq(st.fpcr & COREMOD_FPCR_RMODE_MASK, expected[2] & COREMOD_FPCR_RMODE_MASK);
}

Test(processor_state, c_twin_captures_what_c_can)
{
    coremod_processor_state_t st;
    uint64_t expected[4];
    capture_with_pattern(coremod_capture_processor_state_c, &st, expected);
    check_pc_and_sp(&st, expected, "c");
    /* fegetround / fetestexcept give the rounding field and the exception flags of the real
     * registers: compare with what the helper set. */
    cr_assert_eq(st.fpcr, expected[2] & COREMOD_FPCR_RMODE_MASK, "c: fpcr 0x%llx", U64(st.fpcr));
    if (fp_flags_are_kept())
        cr_assert_eq(st.fpsr & (uint64_t)FE_ALL_EXCEPT, expected[3] & (uint64_t)FE_ALL_EXCEPT,
                     "c: fpsr 0x%llx", U64(st.fpsr));
    for (unsigned i = 0; i < 31; i++)
        cr_assert_eq(st.x[i], 0, "c: x[%u] is documented as 0", i);
    cr_assert_eq(st.pstate, 0);
}

/* Called normally (no helper), asm and C agree on the FP control state and plausible sp/pc. */
Test(processor_state, asm_and_c_agree_on_the_live_state)
{
    coremod_processor_state_t c;
    bool flags_kept = fp_flags_are_kept();
    int saved = fegetround();
    cr_assert_eq(fesetround(FE_TOWARDZERO), 0);
    feclearexcept(FE_ALL_EXCEPT);
    cr_assert_eq(feraiseexcept(FE_DIVBYZERO), 0);
    coremod_capture_processor_state_c(&c);
    uintptr_t local = (uintptr_t)&c;
#if COREMOD_KERNELS_HAVE_ASM
    coremod_processor_state_t a;
    coremod_capture_processor_state_asm(&a);
    cr_assert_eq(a.fpcr & COREMOD_FPCR_RMODE_MASK, c.fpcr, "rounding mode: asm 0x%llx, c 0x%llx",
                 U64(a.fpcr), U64(c.fpcr));
    if (flags_kept)
        cr_assert(a.fpsr & (uint64_t)FE_DIVBYZERO, "asm fpsr 0x%llx lacks the divide-by-zero flag",
                  U64(a.fpsr));
    cr_assert_eq(a.sp, c.sp, "both calls are made from the same frame");
    cr_assert(a.pc > c.pc && a.pc - c.pc < 4096, "the asm call comes shortly after the C call");
#endif
    fesetround(saved);
    if (flags_kept)
        cr_assert(c.fpsr & (uint64_t)FE_DIVBYZERO);
    cr_assert_eq(c.fpcr, (uint64_t)FE_TOWARDZERO);
    cr_assert(c.sp <= local && local - c.sp < 65536, "sp 0x%llx is just below this frame's locals",
              U64(c.sp));
    cr_assert(c.pc != 0);
}

Test(processor_state, null_does_nothing)
{
    coremod_capture_processor_state_c(NULL);
    coremod_capture_processor_state(NULL);
#if COREMOD_KERNELS_HAVE_ASM
    coremod_capture_processor_state_asm(NULL);
#endif
}
