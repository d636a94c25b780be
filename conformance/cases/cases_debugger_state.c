/*
 * cases_debugger_state.c — processor state (SPEC 14.11, coremod): none before a stop; at a
 * breakpoint on f(int x) the state has pc == f and x in x0 (AArch64) or rdi (x86-64, through
 * module_debugger_get_x86_64_state: module_debugger_get_processor_state fails there, "not
 * supported on x86-64"); the state is that of the event wait_event returned last, on the thread
 * that hit it, whichever thread hit last.
 */
#include <pthread.h>

#include "conformance.h"
#include "debug_targets.h"
#include "debugger_support.h"

typedef struct {
    uint64_t pc;
    uint64_t first_argument;
} stop_state_t;

/* The pc and first argument register of the last stop on `ctx`, through this machine's function;
 * fails the case with `what` when it fails. */
static stop_state_t last_stop(module_debugger_context_t* ctx, const char* what)
{
    stop_state_t out = {0, 0};
#if defined(__x86_64__)
    x86_64_processor_state_t state;
    memset(&state, 0, sizeof(state));
    cr_assert(CAND(module_debugger_get_x86_64_state)(ctx, &state),
              "module_debugger_get_x86_64_state after %s failed with %s (SPEC 14.11)", what,
              error_name(CAND(module_get_last_error)()));
    out.pc = state.rip;
    out.first_argument = state.rdi;
#elif defined(__aarch64__)
    arm64_processor_state_t state;
    memset(&state, 0, sizeof(state));
    cr_assert(CAND(module_debugger_get_processor_state)(ctx, &state),
              "module_debugger_get_processor_state after %s failed with %s (SPEC 14.11)", what,
              error_name(CAND(module_get_last_error)()));
    out.pc = state.pc;
    out.first_argument = state.x[0];
#else
    (void)ctx;
    (void)what;
    conformance_not_supported("the suite reads processor state on x86-64 and AArch64 only");
#endif
    return out;
}

CONFORMANCE_CASE(debugger_state, DEBUG_STATE_001, "14.11",
                 "before any stop the processor state fails with INVALID_PARAMETER; on x86-64 "
                 "the ARM64 structure is refused with SYSTEM_ERROR")
{
    debugger_require_all();
    module_debugger_context_t* ctx = case_debugger_new();
    arm64_processor_state_t arm64;
    x86_64_processor_state_t x86;
    capture_start();
#if defined(__x86_64__)
    cr_assert(!CAND(module_debugger_get_x86_64_state)(ctx, &x86),
              "module_debugger_get_x86_64_state before any stop returned true (SPEC 14.11)");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                   "module_debugger_get_x86_64_state before any stop (SPEC 14.11)");
    cr_assert(!CAND(module_debugger_get_processor_state)(ctx, &arm64),
              "module_debugger_get_processor_state returned true on x86-64 (SPEC 14.11)");
    const char* message =
        expect_failure(MODULE_ERROR_SYSTEM_ERROR, "module_debugger_get_processor_state on x86-64 "
                                                  "(SPEC 14.11)");
    expect_message_contains(message, "not supported on x86-64",
                            "module_debugger_get_processor_state on x86-64 (SPEC 14.11)");
#else
    cr_assert(!CAND(module_debugger_get_processor_state)(ctx, &arm64),
              "module_debugger_get_processor_state before any stop returned true (SPEC 14.11)");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                   "module_debugger_get_processor_state before any stop (SPEC 14.11)");
    cr_assert(!CAND(module_debugger_get_x86_64_state)(ctx, &x86),
              "module_debugger_get_x86_64_state returned true off x86-64 (SPEC 14.11)");
    const char* message =
        expect_failure(MODULE_ERROR_SYSTEM_ERROR, "module_debugger_get_x86_64_state off x86-64 "
                                                  "(SPEC 14.11)");
    expect_message_contains(message, "not supported",
                            "module_debugger_get_x86_64_state off x86-64 (SPEC 14.11)");
#endif
    capture_stop();
    CAND(module_debugger_destroy)(ctx);
}

static void state_at_breakpoint(debug_breakpoint_type_t type)
{
    debugger_require_all();
    module_debugger_context_t* ctx = case_debugger_new();
    if (type == DEBUG_BREAKPOINT_HARDWARE) {
        debugger_require_hardware(ctx, false);
    }
    uintptr_t f = (uintptr_t)debug_target_plain;
    debugger_set_breakpoint_or_end(ctx, f, type, "debug_target_plain");
    int (*volatile call)(int) = debug_target_plain;
    for (int x = 12345; x < 12348; x++) {
        cr_assert(call(x) == x * 3 + 1, "debug_target_plain(%d) returned a wrong result", x);
    }
    for (int x = 12345; x < 12348; x++) {
        debugger_expect_event(ctx, 1000, case_strf("the call debug_target_plain(%d)", x));
        stop_state_t state = last_stop(ctx, case_strf("the event of debug_target_plain(%d)", x));
        cr_assert(state.pc == f,
                  "at the breakpoint on debug_target_plain (%#lx) the state's pc is %#lx "
                  "(SPEC 14.11)",
                  (unsigned long)f, (unsigned long)state.pc);
        cr_assert((uint32_t)state.first_argument == (uint32_t)x,
                  "at the breakpoint on debug_target_plain(%d) the first argument register "
                  "holds %#lx (SPEC 14.11: the state of the event taken last)",
                  x, (unsigned long)state.first_argument);
    }
    CAND(module_debugger_destroy)(ctx);
}

CONFORMANCE_CASE(debugger_state, DEBUG_STATE_002, "14.11",
                 "at a software breakpoint on f(int x) the state has pc == f and x in the first "
                 "argument register")
{
    state_at_breakpoint(DEBUG_BREAKPOINT_SOFTWARE);
}

CONFORMANCE_CASE(debugger_state, DEBUG_STATE_003, "14.11",
                 "at a hardware breakpoint on f(int x) the state has pc == f and x in the first "
                 "argument register")
{
    state_at_breakpoint(DEBUG_BREAKPOINT_HARDWARE);
}

typedef struct {
    int argument;
    pid_t tid;
} state_worker_t;

static void* call_once(void* arg)
{
    state_worker_t* worker = arg;
    worker->tid = thread_probe_self();
    int (*volatile call)(int) = debug_target_plain;
    call(worker->argument);
    return NULL;
}

CONFORMANCE_CASE(debugger_state, DEBUG_STATE_004, "14.11",
                 "two threads hit in a known order: after each wait_event the state is that "
                 "event's thread's, not the last hitter's")
{
    debugger_require_all();
    module_debugger_context_t* ctx = case_debugger_new();
    uintptr_t f = (uintptr_t)debug_target_plain;
    debugger_set_breakpoint_or_end(ctx, f, DEBUG_BREAKPOINT_SOFTWARE, "debug_target_plain");
    state_worker_t workers[2] = {{111, 0}, {222, 0}};
    for (int t = 0; t < 2; t++) { /* one after the other: the order is known */
        pthread_t thread;
        cr_assert(pthread_create(&thread, NULL, call_once, &workers[t]) == 0,
                  HARNESS_FAULT_PREFIX "pthread_create failed");
        cr_assert(thread_join_within(thread, 10.0, NULL),
                  "a thread calling a breakpointed function did not finish within 10 s");
    }
    for (int t = 0; t < 2; t++) {
        debug_event_t event =
            debugger_expect_event(ctx, 1000,
                                  case_strf("debug_target_plain(%d) in thread %d",
                                            workers[t].argument, (int)workers[t].tid));
        cr_assert(event.thread_id == (uint64_t)workers[t].tid,
                  "event %d came from thread %lu, expected thread %d, which hit %s (SPEC 14.6)",
                  t + 1, (unsigned long)event.thread_id, (int)workers[t].tid,
                  t == 0 ? "first" : "second");
        stop_state_t state = last_stop(ctx, case_strf("event %d", t + 1));
        cr_assert((uint32_t)state.first_argument == (uint32_t)workers[t].argument,
                  "after wait_event returned the event of thread %d (debug_target_plain(%d)) the "
                  "state's first argument register holds %lu: it is another thread's state "
                  "(SPEC 14.11: the state captured with the event taken last)",
                  (int)workers[t].tid, workers[t].argument,
                  (unsigned long)(uint32_t)state.first_argument);
        cr_assert(state.pc == f, "the state's pc is %#lx, expected debug_target_plain %#lx",
                  (unsigned long)state.pc, (unsigned long)f);
    }
    CAND(module_debugger_destroy)(ctx);
}
