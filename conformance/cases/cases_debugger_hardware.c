/*
 * cases_debugger_hardware.c — debug registers and capabilities (SPEC 14.10, 14.14, coremod):
 * hardware breakpoints on distinct functions until one is refused — with RESOURCE_EXHAUSTED —
 * and every accepted one really traps (so a success beyond the slots is caught without trusting
 * the candidate's own count); where the registers deliver no traps, hardware kinds fail with
 * SYSTEM_ERROR "not supported"; the capabilities agree with what the set calls do.
 */
#include "conformance.h"
#include "debug_targets.h"
#include "debugger_support.h"

CONFORMANCE_CASE(debugger_hw, DEBUG_HW_001, "14.10",
                 "hardware breakpoints on distinct functions until one is refused with "
                 "RESOURCE_EXHAUSTED; every accepted one traps")
{
    debugger_require_all();
    module_debugger_context_t* ctx = case_debugger_new();
    debugger_require_hardware(ctx, false);
    size_t accepted = 0;
    module_error_t refusal = MODULE_SUCCESS;
    capture_start();
    for (; accepted < DEBUG_SLOT_FUNCTIONS; accepted++) {
        case_step("hardware breakpoint %zu", accepted + 1);
        if (!CAND(module_debugger_set_breakpoint)(ctx, debug_slot_address(accepted),
                                                  DEBUG_BREAKPOINT_HARDWARE)) {
            refusal = CAND(module_get_last_error)();
            break;
        }
    }
    if (accepted == 0 && refusal == MODULE_ERROR_SYSTEM_ERROR) {
        capture_stop();
        conformance_not_supported("the candidate refused the first hardware breakpoint with "
                                  "MODULE_ERROR_SYSTEM_ERROR although its capabilities promise "
                                  "hardware breakpoints");
    }
    cr_assert(accepted < DEBUG_SLOT_FUNCTIONS,
              "%d hardware breakpoints on distinct functions were all accepted; no machine has "
              "that many debug registers, so some are silent successes (SPEC 14.10)",
              DEBUG_SLOT_FUNCTIONS);
    cr_assert(refusal == MODULE_ERROR_RESOURCE_EXHAUSTED,
              "hardware breakpoint %zu (after %zu accepted) was refused with %s; beyond the "
              "slots it must be MODULE_ERROR_RESOURCE_EXHAUSTED (SPEC 14.10)",
              accepted + 1, accepted, error_name(refusal));
    expect_failure(MODULE_ERROR_RESOURCE_EXHAUSTED,
                   "module_debugger_set_breakpoint beyond the slots (SPEC 14.10)");
    capture_stop();
    cr_assert(accepted > 0, "no hardware breakpoint was accepted, yet the capabilities say "
                            "hardware breakpoints work (SPEC 14.14)");
    for (size_t i = 0; i < accepted; i++) {
        case_step("calling the function of hardware breakpoint %zu", i + 1);
        int got = debug_slot_call(i, 100);
        cr_assert(got == 100 + (int)i + 1,
                  "slot function %zu returned %d under a hardware "
                  "breakpoint, expected %d (SPEC 14.4)",
                  i, got, 100 + (int)i + 1);
        uint64_t hits = 0;
        bool counted = CAND(module_debugger_get_hit_count)(ctx, debug_slot_address(i), &hits);
        cr_assert(counted && hits == 1,
                  "hardware breakpoint %zu of %zu accepted (at %#lx) has %s for one call: a set "
                  "that returned true must really trap (SPEC 14.10)",
                  i + 1, accepted, (unsigned long)debug_slot_address(i),
                  counted
                      ? case_strf("%lu hits", (unsigned long)hits)
                      : case_strf("no hit count (%s)", error_name(CAND(module_get_last_error)())));
        debug_event_t event =
            debugger_expect_event(ctx, 1000,
                                  case_strf("the call under hardware breakpoint %zu of "
                                            "%zu accepted (SPEC 14.10)",
                                            i + 1, accepted));
        cr_assert(event.address == debug_slot_address(i),
                  "the event of hardware breakpoint %zu has address %#lx, expected %#lx "
                  "(SPEC 14.6)",
                  i + 1, (unsigned long)event.address, (unsigned long)debug_slot_address(i));
    }
    debug_capabilities_t caps;
    cr_assert(CAND(module_debugger_get_capabilities)(ctx, &caps),
              "module_debugger_get_capabilities failed with %s",
              error_name(CAND(module_get_last_error)()));
    cr_assert(caps.hardware_slots == accepted,
              "the capabilities say %u hardware slots, but %zu hardware breakpoints were "
              "accepted before the refusal (SPEC 14.14)",
              caps.hardware_slots, accepted);
    /* A slot is free again after a clear. */
    cr_assert(CAND(module_debugger_clear_breakpoint)(ctx, debug_slot_address(0)),
              "module_debugger_clear_breakpoint of hardware breakpoint 1 failed with %s",
              error_name(CAND(module_get_last_error)()));
    cr_assert(CAND(module_debugger_set_breakpoint)(ctx, debug_slot_address(accepted),
                                                   DEBUG_BREAKPOINT_HARDWARE),
              "after clearing one of %zu hardware breakpoints a new one is refused with %s "
              "(SPEC 14.10)",
              accepted, error_name(CAND(module_get_last_error)()));
    CAND(module_debugger_destroy)(ctx);
}

CONFORMANCE_CASE(debugger_hw, DEBUG_HW_002, "14.10",
                 "where the debug registers deliver no traps, hardware breakpoints fail with "
                 "SYSTEM_ERROR \"not supported\" and software kinds still work")
{
    debugger_require_all();
    module_debugger_context_t* ctx = case_debugger_new();
    debug_capabilities_t caps;
    cr_assert(CAND(module_debugger_get_capabilities)(ctx, &caps),
              "module_debugger_get_capabilities failed with %s",
              error_name(CAND(module_get_last_error)()));
    if (caps.hardware_breakpoints) {
        conformance_not_supported("this machine's debug registers deliver traps (the "
                                  "capabilities say so): the refusal where they do not cannot be "
                                  "checked here (it is under qemu-user and valgrind)");
    }
    capture_start();
    cr_assert(!CAND(module_debugger_set_breakpoint)(ctx, (uintptr_t)debug_target_plain,
                                                    DEBUG_BREAKPOINT_HARDWARE),
              "a hardware breakpoint was accepted although the capabilities say hardware "
              "breakpoints do not work here (SPEC 14.10, 14.14)");
    const char* message =
        expect_failure(MODULE_ERROR_SYSTEM_ERROR, "a hardware breakpoint without debug registers "
                                                  "(SPEC 14.10)");
    expect_message_contains(message, "not supported",
                            "a hardware breakpoint without debug registers (SPEC 14.10)");
    capture_stop();
    cr_assert(caps.hardware_slots == 0 && !caps.hardware_watchpoints,
              "without hardware breakpoints the capabilities still say %u slots and hardware "
              "watchpoints %s (SPEC 14.14)",
              caps.hardware_slots, caps.hardware_watchpoints ? "true" : "false");
    cr_assert(CAND(module_debugger_set_breakpoint)(ctx, (uintptr_t)debug_target_plain,
                                                   DEBUG_BREAKPOINT_SOFTWARE),
              "a software breakpoint failed with %s where hardware ones are not supported "
              "(SPEC 14.3)",
              error_name(CAND(module_get_last_error)()));
    cr_assert(debug_target_plain(1) == 4,
              "debug_target_plain(1) returned %d under a software "
              "breakpoint (SPEC 14.4)",
              debug_target_plain(1));
    debugger_expect_event(ctx, 1000, "a call under a software breakpoint");
    unsigned char* memory = debugger_watch_memory();
    cr_assert(
        CAND(module_debugger_set_watchpoint)(ctx, (uintptr_t)memory + 8, 8, DEBUG_WATCHPOINT_WRITE),
        "an 8-byte watch failed with %s where debug registers are not supported: page "
        "protection must take it (SPEC 14.9)",
        error_name(CAND(module_get_last_error)()));
    *(volatile unsigned char*)(memory + 8) = 9;
    debugger_expect_event(ctx, 1000, "a write to an 8-byte watch by page protection");
    CAND(module_debugger_destroy)(ctx);
}

CONFORMANCE_CASE(debugger_caps, DEBUG_CAP_001, "14.14",
                 "the capabilities are consistent and name this machine's processor-state "
                 "function")
{
    debugger_require_all();
    module_debugger_context_t* ctx = case_debugger_new();
    debug_capabilities_t caps;
    memset(&caps, 0x3C, sizeof(caps));
    cr_assert(CAND(module_debugger_get_capabilities)(ctx, &caps),
              "module_debugger_get_capabilities failed with %s",
              error_name(CAND(module_get_last_error)()));
    cr_assert(caps.software_breakpoints && caps.page_watchpoints,
              "the capabilities deny software breakpoints (%d) or page watchpoints (%d), which "
              "every Linux process has (SPEC 14.14)",
              caps.software_breakpoints, caps.page_watchpoints);
    cr_assert(caps.hardware_breakpoints == (caps.hardware_slots > 0),
              "hardware_breakpoints is %d with %u hardware slots (SPEC 14.14)",
              caps.hardware_breakpoints, caps.hardware_slots);
    cr_assert(!caps.hardware_watchpoints || caps.hardware_watch_max_size >= 1,
              "hardware watchpoints with a largest size of %u bytes (SPEC 14.14)",
              caps.hardware_watch_max_size);
#if defined(__x86_64__)
    cr_assert(caps.x86_64_processor_state && !caps.arm64_processor_state,
              "on x86-64 the capabilities say arm64_processor_state %d, x86_64_processor_state "
              "%d; expected false and true (SPEC 14.11, 14.14)",
              caps.arm64_processor_state, caps.x86_64_processor_state);
    cr_assert(!caps.hardware_read_watchpoints,
              "on x86-64 the capabilities say the debug registers watch reads alone; they cannot "
              "(SPEC 14.14)");
#elif defined(__aarch64__)
    cr_assert(caps.arm64_processor_state && !caps.x86_64_processor_state,
              "on AArch64 the capabilities say arm64_processor_state %d, x86_64_processor_state "
              "%d; expected true and false (SPEC 14.11, 14.14)",
              caps.arm64_processor_state, caps.x86_64_processor_state);
#endif
    debug_capabilities_t again;
    memset(&again, 0x3C, sizeof(again));
    cr_assert(CAND(module_debugger_get_capabilities)(ctx, &again) &&
                  memcmp(&caps, &again, sizeof(caps)) == 0,
              "two module_debugger_get_capabilities calls on one context differ (SPEC 14.14)");
    CAND(module_debugger_destroy)(ctx);
}
