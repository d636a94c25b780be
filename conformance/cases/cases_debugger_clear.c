/*
 * cases_debugger_clear.c — clearing (SPEC 14.8, coremod): after a clear, a breakpoint's code bytes
 * are the original ones again, the function runs as before and no more events come; a cleared
 * watch reports nothing more; a cleared site can be set again.
 */
#include "conformance.h"
#include "debug_targets.h"
#include "debugger_support.h"

#define CODE_BYTES 16

static void clear_breakpoint(debug_breakpoint_type_t type)
{
    debugger_require_all();
    const debug_target_t* targets = NULL;
    size_t count = debug_targets(&targets);
    module_debugger_context_t* ctx = case_debugger_new();
    if (type == DEBUG_BREAKPOINT_HARDWARE) {
        debugger_require_hardware(ctx, false);
    }
    for (size_t i = 0; i < count; i++) {
        const debug_target_t* target = &targets[i];
        unsigned char original[CODE_BYTES], restored[CODE_BYTES];
        memcpy(original, (const void*)target->address, CODE_BYTES);
        debugger_set_breakpoint_or_end(ctx, target->address, type, target->name);
        cr_assert(target->call(3) == target->expected(3),
                  "%s returned a wrong result under a "
                  "breakpoint (SPEC 14.4)",
                  target->name);
        debug_event_t event =
            debugger_expect_event(ctx, 1000, case_strf("a call of %s", target->name));
        cr_assert(event.address == target->address,
                  "the event of a call of %s has address "
                  "%#lx, expected %#lx (SPEC 14.6)",
                  target->name, (unsigned long)event.address, (unsigned long)target->address);
        cr_assert(CAND(module_debugger_clear_breakpoint)(ctx, target->address),
                  "module_debugger_clear_breakpoint(%s) failed with %s (SPEC 14.8)", target->name,
                  error_name(CAND(module_get_last_error)()));
        memcpy(restored, (const void*)target->address, CODE_BYTES);
        cr_assert(memcmp(original, restored, CODE_BYTES) == 0,
                  "after clearing the breakpoint on %s its first %d code bytes differ from the "
                  "original ones (SPEC 14.8: clear restores the code)",
                  target->name, CODE_BYTES);
        for (int x = -20; x <= 20; x++) {
            cr_assert(target->call(x) == target->expected(x),
                      "%s returned %d for %d after its breakpoint was cleared, expected %d "
                      "(SPEC 14.8)",
                      target->name, target->call(x), x, target->expected(x));
        }
        debugger_expect_no_event(ctx, 20,
                                 case_strf("41 calls of %s after its breakpoint was "
                                           "cleared",
                                           target->name));
        cr_assert(CAND(module_debugger_set_breakpoint)(ctx, target->address, type),
                  "a breakpoint on %s cannot be set again after its clear (%s) (SPEC 14.8)",
                  target->name, error_name(CAND(module_get_last_error)()));
        cr_assert(CAND(module_debugger_clear_breakpoint)(ctx, target->address),
                  "the second clear of %s failed with %s (SPEC 14.8)", target->name,
                  error_name(CAND(module_get_last_error)()));
    }
    CAND(module_debugger_destroy)(ctx);
}

CONFORMANCE_CASE(debugger_clear, DEBUG_CLR_001, "14.8",
                 "a cleared software breakpoint restores the code bytes, stops events and can be "
                 "set again, on every target")
{
    clear_breakpoint(DEBUG_BREAKPOINT_SOFTWARE);
}

CONFORMANCE_CASE(debugger_clear, DEBUG_CLR_002, "14.8",
                 "a cleared hardware breakpoint stops events and can be set again")
{
    clear_breakpoint(DEBUG_BREAKPOINT_HARDWARE);
}

CONFORMANCE_CASE(debugger_clear, DEBUG_CLR_003, "14.8",
                 "a cleared watchpoint (register-sized and page-sized) reports no more accesses")
{
    debugger_require_all();
    module_debugger_context_t* ctx = case_debugger_new();
    unsigned char* memory = debugger_watch_memory();
    static const size_t sizes[] = {8, 100};
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        volatile unsigned char* watched = memory + 64;
        cr_assert(CAND(module_debugger_set_watchpoint)(ctx, (uintptr_t)watched, sizes[s],
                                                       DEBUG_WATCHPOINT_WRITE),
                  "module_debugger_set_watchpoint(%zu mapped bytes, WRITE) failed with %s",
                  sizes[s], error_name(CAND(module_get_last_error)()));
        watched[0] = 1;
        debugger_expect_event(ctx, 1000, case_strf("a write to a %zu-byte watch", sizes[s]));
        cr_assert(CAND(module_debugger_clear_watchpoint)(ctx, (uintptr_t)watched),
                  "module_debugger_clear_watchpoint failed with %s (SPEC 14.8)",
                  error_name(CAND(module_get_last_error)()));
        for (size_t i = 0; i < sizes[s]; i++) {
            watched[i] = (unsigned char)(i + 2);
        }
        for (size_t i = 0; i < sizes[s]; i++) {
            cr_assert(watched[i] == (unsigned char)(i + 2),
                      "byte %zu of a cleared watch lost "
                      "its write (SPEC 14.8)",
                      i);
        }
        debugger_expect_no_event(ctx, 20,
                                 case_strf("writes to a cleared %zu-byte watch", sizes[s]));
    }
    CAND(module_debugger_destroy)(ctx);
}
