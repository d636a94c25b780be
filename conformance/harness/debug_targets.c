/* debug_targets.c — see debug_targets.h. */
#include "debug_targets.h"

#include <string.h>

/* Calls go through volatile pointers, so the compiler neither inlines a target nor folds a call
 * whose argument it knows. */
__attribute__((noinline)) int debug_target_plain(int x)
{
    return x * 3 + 1;
}

static int expect_plain(int x)
{
    return x * 3 + 1;
}

static int call_plain(int x)
{
    int (*volatile fn)(int) = debug_target_plain;
    return fn(x);
}

/* The assembly targets (debug_targets_<arch>.S) and their twins. The data they load is defined
 * there too, next to the code, with the values below. */
#define DEBUG_TARGET_LOADED_1 1000
#define DEBUG_TARGET_LOADED_2 2000
#define DEBUG_TARGET_LOADED_3 3000

static int expect_loaded_1(int x)
{
    return x + DEBUG_TARGET_LOADED_1;
}

static int expect_doubled(int x)
{
    return x * 2 + 5;
}

static int expect_branch(int x)
{
    return x == 0 ? -1 : x + 7;
}

#if defined(__x86_64__)
int debug_target_rip_load(int x);   /* mov rip-relative, add, ret */
int debug_target_call_rel32(int x); /* call helper (2x), add 5, ret */
int debug_target_jcc(int x);        /* je (flags of the trampoline's test), ... */
int debug_call_jcc(int x);          /* test %edi, %edi; call debug_target_jcc */

static int call_rip_load(int x)
{
    int (*volatile fn)(int) = debug_target_rip_load;
    return fn(x);
}

static int call_call_rel32(int x)
{
    int (*volatile fn)(int) = debug_target_call_rel32;
    return fn(x);
}

static int call_jcc(int x)
{
    int (*volatile fn)(int) = debug_call_jcc;
    return fn(x);
}

static debug_target_t targets[] = {
    {"plain C function", 0, call_plain, expect_plain},
    {"RIP-relative load (x86-64)", 0, call_rip_load, expect_loaded_1},
    {"call rel32 (x86-64)", 0, call_call_rel32, expect_doubled},
    {"jcc (x86-64)", 0, call_jcc, expect_branch},
};

static void fill_addresses(void)
{
    targets[0].address = (uintptr_t)debug_target_plain;
    targets[1].address = (uintptr_t)debug_target_rip_load;
    targets[2].address = (uintptr_t)debug_target_call_rel32;
    targets[3].address = (uintptr_t)debug_target_jcc;
}
#elif defined(__aarch64__)
int debug_target_adrp(int x);        /* adrp, ldr :lo12:, add, ret */
int debug_target_adr(int x);         /* adr, ldr, add, ret */
int debug_target_ldr_literal(int x); /* ldr w1, literal; add; ret */
int debug_target_bl(int x);          /* bl helper (2x), add 5, br x15 */
int debug_call_bl(int x);            /* saves lr, x15 = return point, b debug_target_bl */
int debug_target_cbz(int x);         /* cbz w0, ... */

static int expect_loaded_2(int x)
{
    return x + DEBUG_TARGET_LOADED_2;
}

static int expect_loaded_3(int x)
{
    return x + DEBUG_TARGET_LOADED_3;
}

#define DEBUG_CALLER(name_, fn_)                                                                   \
    static int name_(int x)                                                                        \
    {                                                                                              \
        int (*volatile fn)(int) = fn_;                                                             \
        return fn(x);                                                                              \
    }
DEBUG_CALLER(call_adrp, debug_target_adrp)
DEBUG_CALLER(call_adr, debug_target_adr)
DEBUG_CALLER(call_ldr_literal, debug_target_ldr_literal)
DEBUG_CALLER(call_bl, debug_call_bl)
DEBUG_CALLER(call_cbz, debug_target_cbz)

static debug_target_t targets[] = {
    {"plain C function", 0, call_plain, expect_plain},
    {"adrp (AArch64)", 0, call_adrp, expect_loaded_1},
    {"adr (AArch64)", 0, call_adr, expect_loaded_2},
    {"ldr literal (AArch64)", 0, call_ldr_literal, expect_loaded_3},
    {"bl (AArch64)", 0, call_bl, expect_doubled},
    {"cbz (AArch64)", 0, call_cbz, expect_branch},
};

static void fill_addresses(void)
{
    targets[0].address = (uintptr_t)debug_target_plain;
    targets[1].address = (uintptr_t)debug_target_adrp;
    targets[2].address = (uintptr_t)debug_target_adr;
    targets[3].address = (uintptr_t)debug_target_ldr_literal;
    targets[4].address = (uintptr_t)debug_target_bl;
    targets[5].address = (uintptr_t)debug_target_cbz;
}
#else
static debug_target_t targets[] = {
    {"plain C function", 0, call_plain, expect_plain},
};

static void fill_addresses(void)
{
    targets[0].address = (uintptr_t)debug_target_plain;
}
#endif

size_t debug_targets(const debug_target_t** out)
{
    fill_addresses();
    *out = targets;
    return sizeof(targets) / sizeof(targets[0]);
}

/* The slot functions: distinct bodies (no identical-code folding), never inlined. */
#define DEBUG_SLOT(n_)                                                                             \
    __attribute__((noinline)) static int debug_slot_##n_(int x)                                    \
    {                                                                                              \
        return x + (n_) + 1;                                                                       \
    }
DEBUG_SLOT(0)
DEBUG_SLOT(1)
DEBUG_SLOT(2)
DEBUG_SLOT(3)
DEBUG_SLOT(4)
DEBUG_SLOT(5)
DEBUG_SLOT(6)
DEBUG_SLOT(7)
DEBUG_SLOT(8)
DEBUG_SLOT(9)
DEBUG_SLOT(10)
DEBUG_SLOT(11)
DEBUG_SLOT(12)
DEBUG_SLOT(13)
DEBUG_SLOT(14)
DEBUG_SLOT(15)
DEBUG_SLOT(16)
DEBUG_SLOT(17)
DEBUG_SLOT(18)
DEBUG_SLOT(19)
DEBUG_SLOT(20)
DEBUG_SLOT(21)
DEBUG_SLOT(22)
DEBUG_SLOT(23)
DEBUG_SLOT(24)
DEBUG_SLOT(25)
DEBUG_SLOT(26)
DEBUG_SLOT(27)
DEBUG_SLOT(28)
DEBUG_SLOT(29)
DEBUG_SLOT(30)
DEBUG_SLOT(31)

static int (*const slot_functions[DEBUG_SLOT_FUNCTIONS])(int) = {
    debug_slot_0,  debug_slot_1,  debug_slot_2,  debug_slot_3,  debug_slot_4,  debug_slot_5,
    debug_slot_6,  debug_slot_7,  debug_slot_8,  debug_slot_9,  debug_slot_10, debug_slot_11,
    debug_slot_12, debug_slot_13, debug_slot_14, debug_slot_15, debug_slot_16, debug_slot_17,
    debug_slot_18, debug_slot_19, debug_slot_20, debug_slot_21, debug_slot_22, debug_slot_23,
    debug_slot_24, debug_slot_25, debug_slot_26, debug_slot_27, debug_slot_28, debug_slot_29,
    debug_slot_30, debug_slot_31,
};

uintptr_t debug_slot_address(size_t i)
{
    return i < DEBUG_SLOT_FUNCTIONS ? (uintptr_t)slot_functions[i] : 0;
}

int debug_slot_call(size_t i, int x)
{
    int (*volatile fn)(int) = slot_functions[i];
    return fn(x);
}
