/*
 * cases_debugger_breakpoints.c — breakpoints as the document declares them (SPEC 14.3, 14.4,
 * document level): setting one on a function's entry, of the program or of a module found with
 * module_get_symbol (the document's example), succeeds; and the program computes the same
 * results while it is set, whatever the first instruction (debug_targets.h). Hits are not
 * observed here (events and hit counts are coremod's: cases_debugger_hits.c).
 */
#include <stdio.h>

#include "conformance.h"
#include "debug_targets.h"
#include "debugger_support.h"

#define DEBUG_BP_CALLS 1000

static const char* type_name(debug_breakpoint_type_t type)
{
    return type == DEBUG_BREAKPOINT_HARDWARE ? "HARDWARE" : "SOFTWARE";
}

/* Calls `target` DEBUG_BP_CALLS times with varied arguments (0 included: the branch targets
 * take their other path there); fails on the first wrong result. */
static void expect_results(const debug_target_t* target, const char* while_what)
{
    for (int i = 0; i < DEBUG_BP_CALLS; i++) {
        int x = (i % 7 == 0) ? 0 : i * 37 - 5000;
        case_step("calling %s (%s), call %d", target->name, while_what, i);
        int got = target->call(x);
        int want = target->expected(x);
        cr_assert(got == want,
                  "%s at %#lx returned %d for %d %s, expected %d: the breakpoint changed what "
                  "the program computes (SPEC 14.4: the displaced first instruction must behave "
                  "as in place)",
                  target->name, (unsigned long)target->address, got, x, while_what, want);
    }
}

/* A module function through module_get_symbol, as the document's example takes it. */
static int (*example_function(module_system_t* system, uintptr_t* address))(int)
{
    module_handle_t handle = case_load(system, fixture_module("example_module"));
    void* symbol = case_symbol(handle, "example_function");
    int (*fn)(int);
    memcpy(&fn, &symbol, sizeof(fn));
    *address = (uintptr_t)symbol;
    return fn;
}

CONFORMANCE_CASE(debugger_bp, DEBUG_BP_001, "14.3",
                 "a software breakpoint on a program function and on a module function "
                 "(module_get_symbol) is accepted")
{
    module_debugger_context_t* ctx = case_debugger_new();
    debugger_set_breakpoint_or_end(ctx, (uintptr_t)debug_target_plain, DEBUG_BREAKPOINT_SOFTWARE,
                                   "debug_target_plain, a function of the program");
    module_system_t* system = case_system_new(NULL, 0);
    uintptr_t address = 0;
    int (*fn)(int) = example_function(system, &address);
    debugger_set_breakpoint_or_end(ctx, address, DEBUG_BREAKPOINT_SOFTWARE,
                                   "example_function of example_module (module_get_symbol)");
    cr_assert(fn(42) == 84,
              "example_function(42) returned %d under a software breakpoint, "
              "expected 84 (SPEC 14.4)",
              fn(42));
    cr_assert(debug_target_plain(5) == 16,
              "debug_target_plain(5) returned %d under a software breakpoint, expected 16 "
              "(SPEC 14.4)",
              debug_target_plain(5));
    case_debugger_release(ctx);
    case_system_destroy(system);
}

CONFORMANCE_CASE(debugger_bp, DEBUG_BP_002, "14.3",
                 "the document's example: a hardware breakpoint on a module function found with "
                 "module_get_symbol is accepted")
{
    module_debugger_context_t* ctx = case_debugger_new();
    module_system_t* system = case_system_new(NULL, 0);
    uintptr_t address = 0;
    int (*fn)(int) = example_function(system, &address);
    debugger_set_breakpoint_or_end(ctx, address, DEBUG_BREAKPOINT_HARDWARE,
                                   "example_function of example_module (module_get_symbol)");
    for (int x = -50; x <= 50; x++) {
        cr_assert(fn(x) == 2 * x,
                  "example_function(%d) returned %d under a hardware breakpoint, expected %d "
                  "(SPEC 14.4)",
                  x, fn(x), 2 * x);
    }
    case_debugger_release(ctx);
    case_system_destroy(system);
}

/* Every target with a breakpoint of `type`, each in a fresh context; the results before the
 * breakpoint are checked too, so that a wrong twin is a harness fault, not the candidate's. */
static void results_under(debug_breakpoint_type_t type)
{
    const debug_target_t* targets = NULL;
    size_t count = debug_targets(&targets);
    for (size_t i = 0; i < count; i++) {
        for (int x = -3; x <= 3; x++) {
            cr_assert(targets[i].call(x) == targets[i].expected(x),
                      HARNESS_FAULT_PREFIX "%s returns %d for %d without a breakpoint, its twin "
                                           "%d",
                      targets[i].name, targets[i].call(x), x, targets[i].expected(x));
        }
        module_debugger_context_t* ctx = case_debugger_new();
        debugger_set_breakpoint_or_end(ctx, targets[i].address, type, targets[i].name);
        char what[128];
        snprintf(what, sizeof(what), "under a %s breakpoint", type_name(type));
        expect_results(&targets[i], what);
        case_debugger_release(ctx);
        if (conformance_candidate.module_debugger_destroy == NULL &&
            type == DEBUG_BREAKPOINT_HARDWARE) {
            break; /* without destroy each stays set, holding a debug register: the first only */
        }
    }
}

CONFORMANCE_CASE(debugger_bp, DEBUG_BP_003, "14.4",
                 "under a software breakpoint every target (plain and PC-relative first "
                 "instructions) returns its right results")
{
    results_under(DEBUG_BREAKPOINT_SOFTWARE);
}

CONFORMANCE_CASE(debugger_bp, DEBUG_BP_004, "14.4",
                 "under a hardware breakpoint every target returns its right results")
{
    results_under(DEBUG_BREAKPOINT_HARDWARE);
}
