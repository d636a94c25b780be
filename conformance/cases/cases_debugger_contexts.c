/*
 * cases_debugger_contexts.c — debugger contexts and errors (SPEC 14.12, 14.13, coremod): values
 * that are not live contexts fail in every function without being read, NULL out-parameters and
 * clears of nothing fail, successes reset the last error, destroy clears what its context set.
 */
#include "conformance.h"
#include "debug_targets.h"
#include "debugger_support.h"
#include "optimization_contexts.h"

#define BAD_DEBUGGER_COUNT 6

typedef struct {
    module_debugger_context_t* value;
    const char* what;
} bad_debugger_t;

static void bad_debuggers(void* local, bad_debugger_t out[BAD_DEBUGGER_COUNT])
{
    module_debugger_context_t* destroyed = case_debugger_new();
    CAND(module_debugger_destroy)(destroyed);
    unsigned char* garbage = case_alloc(512);
    memset(garbage, 0xA5, 512);
    out[0] = (bad_debugger_t){NULL, "NULL"};
    out[1] = (bad_debugger_t){destroyed, "a destroyed context"};
    out[2] =
        (bad_debugger_t){(module_debugger_context_t*)(uintptr_t)0xdeadbeef000, "0xdeadbeef000"};
    out[3] = (bad_debugger_t){local, "the address of a local variable"};
    out[4] = (bad_debugger_t){(module_debugger_context_t*)garbage, "heap memory filled with 0xA5"};
    out[5] = (bad_debugger_t){(module_debugger_context_t*)case_numa_new(), "a live NUMA context"};
}

#define EXPECT_REFUSED(call_, what_)                                                               \
    do {                                                                                           \
        case_step("%s", what_);                                                                    \
        cr_assert(!(call_),                                                                        \
                  "%s returned true; expected false with "                                         \
                  "MODULE_ERROR_INVALID_PARAMETER (SPEC 14.12)",                                   \
                  what_);                                                                          \
        expect_failure(MODULE_ERROR_INVALID_PARAMETER, case_strf("%s (SPEC 14.12)", what_));       \
    } while (0)

CONFORMANCE_CASE(debugger_ctx, DEBUG_CTX_001, "14.13",
                 "values that are not live debugger contexts fail with INVALID_PARAMETER in every "
                 "debugger function, unread")
{
    debugger_require_all();
    int local = 0x5A5A5A5A;
    bad_debugger_t bad[BAD_DEBUGGER_COUNT];
    bad_debuggers(&local, bad);
    uintptr_t code = (uintptr_t)debug_target_plain;
    unsigned char* memory = debugger_watch_memory();
    capture_start();
    for (size_t i = 0; i < BAD_DEBUGGER_COUNT; i++) {
        module_debugger_context_t* ctx = bad[i].value;
        const char* w = bad[i].what;
        debug_event_t event;
        arm64_processor_state_t state;
        x86_64_processor_state_t x86;
        debug_capabilities_t caps;
        uint64_t count = 0;
        EXPECT_REFUSED(CAND(module_debugger_set_breakpoint)(ctx, code, DEBUG_BREAKPOINT_SOFTWARE),
                       case_strf("module_debugger_set_breakpoint(%s, a function, SOFTWARE)", w));
        EXPECT_REFUSED(
            CAND(module_debugger_set_watchpoint)(ctx, (uintptr_t)memory, 8, DEBUG_WATCHPOINT_WRITE),
            case_strf("module_debugger_set_watchpoint(%s, 8 mapped bytes, WRITE)", w));
        EXPECT_REFUSED(CAND(module_debugger_get_processor_state)(ctx, &state),
                       case_strf("module_debugger_get_processor_state(%s)", w));
        EXPECT_REFUSED(CAND(module_debugger_get_x86_64_state)(ctx, &x86),
                       case_strf("module_debugger_get_x86_64_state(%s)", w));
        EXPECT_REFUSED(CAND(module_debugger_clear_breakpoint)(ctx, code),
                       case_strf("module_debugger_clear_breakpoint(%s, a function)", w));
        EXPECT_REFUSED(CAND(module_debugger_clear_watchpoint)(ctx, (uintptr_t)memory),
                       case_strf("module_debugger_clear_watchpoint(%s, mapped memory)", w));
        EXPECT_REFUSED(CAND(module_debugger_wait_event)(ctx, &event, 0),
                       case_strf("module_debugger_wait_event(%s, &event, 0)", w));
        EXPECT_REFUSED(CAND(module_debugger_get_hit_count)(ctx, code, &count),
                       case_strf("module_debugger_get_hit_count(%s, a function)", w));
        EXPECT_REFUSED(CAND(module_debugger_get_capabilities)(ctx, &caps),
                       case_strf("module_debugger_get_capabilities(%s)", w));
        if (ctx != NULL) {
            case_step("module_debugger_destroy(%s)", w);
            CAND(module_debugger_destroy)(ctx);
            expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                           case_strf("module_debugger_destroy(%s) (SPEC 14.13)", w));
        }
    }
    cr_assert(local == 0x5A5A5A5A, "a debugger function wrote through the address of a local "
                                   "variable given as a context (SPEC 14.13)");
    capture_stop();
}

CONFORMANCE_CASE(debugger_ctx, DEBUG_CTX_002, "14.12",
                 "NULL out-parameters, clears of nothing and hit counts of nothing fail with "
                 "INVALID_PARAMETER")
{
    debugger_require_all();
    module_debugger_context_t* ctx = case_debugger_new();
    uintptr_t code = (uintptr_t)debug_target_plain;
    unsigned char* memory = debugger_watch_memory();
    uint64_t count = 0;
    capture_start();
    EXPECT_REFUSED(CAND(module_debugger_wait_event)(ctx, NULL, 0),
                   "module_debugger_wait_event(ctx, NULL, 0)");
    EXPECT_REFUSED(CAND(module_debugger_get_capabilities)(ctx, NULL),
                   "module_debugger_get_capabilities(ctx, NULL)");
#if defined(__x86_64__)
    EXPECT_REFUSED(CAND(module_debugger_get_x86_64_state)(ctx, NULL),
                   "module_debugger_get_x86_64_state(ctx, NULL)");
#endif
    EXPECT_REFUSED(CAND(module_debugger_clear_breakpoint)(ctx, code),
                   "module_debugger_clear_breakpoint of a function with no breakpoint");
    EXPECT_REFUSED(CAND(module_debugger_clear_watchpoint)(ctx, (uintptr_t)memory),
                   "module_debugger_clear_watchpoint of memory with no watchpoint");
    EXPECT_REFUSED(CAND(module_debugger_get_hit_count)(ctx, code, &count),
                   "module_debugger_get_hit_count of a function with no breakpoint");
    cr_assert(CAND(module_debugger_set_breakpoint)(ctx, code, DEBUG_BREAKPOINT_SOFTWARE),
              "module_debugger_set_breakpoint(ctx, debug_target_plain, SOFTWARE) failed with %s",
              error_name(CAND(module_get_last_error)()));
    cr_assert(CAND(module_debugger_set_watchpoint)(ctx, (uintptr_t)memory + 32, 8,
                                                   DEBUG_WATCHPOINT_WRITE),
              "module_debugger_set_watchpoint(ctx, 8 mapped bytes, WRITE) failed with %s",
              error_name(CAND(module_get_last_error)()));
    capture_take(NULL);
    EXPECT_REFUSED(CAND(module_debugger_get_hit_count)(ctx, code, NULL),
                   "module_debugger_get_hit_count(ctx, a breakpoint, NULL)");
    EXPECT_REFUSED(CAND(module_debugger_clear_watchpoint)(ctx, (uintptr_t)memory + 33),
                   "module_debugger_clear_watchpoint of the second byte of a watched range (a "
                   "watch is cleared by its first byte)");
    module_debugger_context_t* other = case_debugger_new();
    EXPECT_REFUSED(CAND(module_debugger_clear_breakpoint)(other, code),
                   "module_debugger_clear_breakpoint by a context that did not set it");
    EXPECT_REFUSED(CAND(module_debugger_clear_watchpoint)(other, (uintptr_t)memory + 32),
                   "module_debugger_clear_watchpoint by a context that did not set it");
    cr_assert(CAND(module_debugger_clear_breakpoint)(ctx, code),
              "module_debugger_clear_breakpoint of a set breakpoint failed with %s (SPEC 14.8)",
              error_name(CAND(module_get_last_error)()));
    capture_take(NULL);
    EXPECT_REFUSED(CAND(module_debugger_clear_breakpoint)(ctx, code),
                   "module_debugger_clear_breakpoint of a breakpoint already cleared");
    capture_stop();
    CAND(module_debugger_destroy)(other);
    CAND(module_debugger_destroy)(ctx);
}

CONFORMANCE_CASE(debugger_ctx, DEBUG_CTX_003, "14.13",
                 "debugger successes reset the last error; destroy clears what its context set; "
                 "destroy(NULL) does nothing")
{
    debugger_require_all();
    uintptr_t code = (uintptr_t)debug_target_plain;
    unsigned char* memory = debugger_watch_memory();
    capture_start();
    CAND(module_load)(NULL, "x.so"); /* a failure first: each success must reset it */
    capture_take(NULL);
    module_debugger_context_t* ctx = case_debugger_new();
    expect_success("module_debugger_create after a failing call (SPEC 14.13)");
    CAND(module_load)(NULL, "x.so");
    capture_take(NULL);
    cr_assert(CAND(module_debugger_set_breakpoint)(ctx, code, DEBUG_BREAKPOINT_SOFTWARE),
              "module_debugger_set_breakpoint(ctx, debug_target_plain, SOFTWARE) failed with %s",
              error_name(CAND(module_get_last_error)()));
    expect_success("module_debugger_set_breakpoint after a failing call (SPEC 14.13)");
    CAND(module_load)(NULL, "x.so");
    capture_take(NULL);
    cr_assert(
        CAND(module_debugger_set_watchpoint)(ctx, (uintptr_t)memory, 4, DEBUG_WATCHPOINT_WRITE),
        "module_debugger_set_watchpoint(ctx, 4 mapped bytes, WRITE) failed with %s",
        error_name(CAND(module_get_last_error)()));
    expect_success("module_debugger_set_watchpoint after a failing call (SPEC 14.13)");
    CAND(module_load)(NULL, "x.so");
    capture_take(NULL);
    debug_capabilities_t caps;
    cr_assert(CAND(module_debugger_get_capabilities)(ctx, &caps),
              "module_debugger_get_capabilities failed with %s",
              error_name(CAND(module_get_last_error)()));
    expect_success("module_debugger_get_capabilities after a failing call (SPEC 14.13)");
    CAND(module_load)(NULL, "x.so");
    capture_take(NULL);
    CAND(module_debugger_destroy)(NULL);
    expect_last_error(MODULE_ERROR_INVALID_PARAMETER,
                      "module_debugger_destroy(NULL) (must not touch the last error)");
    cr_assert(capture_take(NULL) == 0, "module_debugger_destroy(NULL) called the error callback");
    CAND(module_debugger_destroy)(ctx);
    expect_success("module_debugger_destroy of a live context (SPEC 14.13)");
    capture_stop();
    /* Destroy cleared both: another context may set them again, and the program runs. */
    module_debugger_context_t* next = case_debugger_new();
    cr_assert(CAND(module_debugger_set_breakpoint)(next, code, DEBUG_BREAKPOINT_SOFTWARE),
              "after destroying the context that set it, a breakpoint at the same function "
              "cannot be set again (%s): destroy did not clear it (SPEC 14.13)",
              error_name(CAND(module_get_last_error)()));
    cr_assert(
        CAND(module_debugger_set_watchpoint)(next, (uintptr_t)memory, 4, DEBUG_WATCHPOINT_WRITE),
        "after destroying the context that set it, the same watch cannot be set again "
        "(%s): destroy did not clear it (SPEC 14.13)",
        error_name(CAND(module_get_last_error)()));
    CAND(module_debugger_destroy)(next);
    cr_assert(debug_target_plain(2) == 7, "debug_target_plain(2) returned %d after destroy",
              debug_target_plain(2));
}
