/*
 * cases_debugger_api.c — the Debugging System API's functions and contexts as the document
 * declares them (SPEC 14.1, 14.2, document level): the four functions exist, create returns a
 * context, NULL arguments return false.
 */
#include "conformance.h"
#include "debug_targets.h"
#include "debugger_support.h"

CONFORMANCE_CASE(debugger_api, DEBUG_API_001, "14.1",
                 "the document's four debugger functions are exported and "
                 "module_debugger_create returns a context")
{
    cr_assert(conformance_candidate.module_debugger_create != NULL &&
                  conformance_candidate.module_debugger_set_breakpoint != NULL &&
                  conformance_candidate.module_debugger_set_watchpoint != NULL &&
                  conformance_candidate.module_debugger_get_processor_state != NULL,
              "the candidate lacks one of module_debugger_create, module_debugger_set_breakpoint, "
              "module_debugger_set_watchpoint, module_debugger_get_processor_state (SPEC 14.1)");
    module_debugger_context_t* a = case_debugger_new();
    module_debugger_context_t* b = case_debugger_new();
    cr_assert(a != b, "two module_debugger_create calls returned the same context %p (SPEC 14.1)",
              (void*)a);
    case_debugger_release(b);
    case_debugger_release(a);
}

CONFORMANCE_CASE(debugger_api, DEBUG_API_002, "14.2",
                 "the document's debugger functions return false for a NULL context or state")
{
    uintptr_t code = (uintptr_t)debug_target_plain;
    unsigned char* memory = debugger_watch_memory();
    arm64_processor_state_t state;
    cr_assert(!CAND(module_debugger_set_breakpoint)(NULL, code, DEBUG_BREAKPOINT_SOFTWARE),
              "module_debugger_set_breakpoint(NULL context, a function, SOFTWARE) returned true; "
              "expected false (SPEC 14.2)");
    cr_assert(!CAND(module_debugger_set_breakpoint)(NULL, code, DEBUG_BREAKPOINT_HARDWARE),
              "module_debugger_set_breakpoint(NULL context, a function, HARDWARE) returned true; "
              "expected false (SPEC 14.2)");
    cr_assert(
        !CAND(module_debugger_set_watchpoint)(NULL, (uintptr_t)memory, 8, DEBUG_WATCHPOINT_WRITE),
        "module_debugger_set_watchpoint(NULL context, 8 mapped bytes, WRITE) returned true; "
        "expected false (SPEC 14.2)");
    cr_assert(!CAND(module_debugger_get_processor_state)(NULL, &state),
              "module_debugger_get_processor_state(NULL context, &state) returned true; expected "
              "false (SPEC 14.2)");
    module_debugger_context_t* ctx = case_debugger_new();
    cr_assert(!CAND(module_debugger_get_processor_state)(ctx, NULL),
              "module_debugger_get_processor_state(ctx, NULL) returned true; expected false "
              "(SPEC 14.2)");
    /* The function still runs: nothing was set by the refused calls. */
    cr_assert(debug_target_plain(4) == 13, "debug_target_plain(4) returned %d after refused calls",
              debug_target_plain(4));
    case_debugger_release(ctx);
}
