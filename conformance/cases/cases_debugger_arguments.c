/*
 * cases_debugger_arguments.c — what the document's two set functions refuse (SPEC 14.12,
 * coremod): address 0, bad types, sizes 0 and ranges past the end of the address space,
 * addresses that are not code or not mapped (a function of a module since unloaded, memory since
 * unmapped), a second breakpoint at one address, overlapping watches. Each fails with
 * MODULE_ERROR_INVALID_PARAMETER, reported once, and the program still runs as before.
 */
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "conformance.h"
#include "debug_targets.h"
#include "debugger_support.h"

static void expect_breakpoint_refused(module_debugger_context_t* ctx, uintptr_t address,
                                      debug_breakpoint_type_t type, const char* what)
{
    case_step("set_breakpoint(%s)", what);
    cr_assert(!CAND(module_debugger_set_breakpoint)(ctx, address, type),
              "module_debugger_set_breakpoint(%s) returned true; expected false with "
              "MODULE_ERROR_INVALID_PARAMETER (SPEC 14.12)",
              what);
    expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                   case_strf("module_debugger_set_breakpoint(%s) (SPEC 14.12)", what));
}

static void expect_watch_refused(module_debugger_context_t* ctx, uintptr_t address, size_t size,
                                 debug_watchpoint_type_t type, const char* what)
{
    case_step("set_watchpoint(%s)", what);
    cr_assert(!CAND(module_debugger_set_watchpoint)(ctx, address, size, type),
              "module_debugger_set_watchpoint(%s) returned true; expected false with "
              "MODULE_ERROR_INVALID_PARAMETER (SPEC 14.12)",
              what);
    expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                   case_strf("module_debugger_set_watchpoint(%s) (SPEC 14.12)", what));
}

static uintptr_t unmapped_page(void)
{
    long page = sysconf(_SC_PAGESIZE);
    void* memory =
        mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert(memory != MAP_FAILED && munmap(memory, (size_t)page) == 0,
              HARNESS_FAULT_PREFIX "mmap/munmap of a page failed");
    return (uintptr_t)memory;
}

CONFORMANCE_CASE(debugger_args, DEBUG_ARG_001, "14.12",
                 "set_breakpoint refuses address 0, bad types, data, unmapped memory and a "
                 "second breakpoint at one address with INVALID_PARAMETER")
{
    module_debugger_context_t* ctx = case_debugger_new();
    capture_start();
    uintptr_t code = (uintptr_t)debug_target_plain;
    unsigned char* data = case_alloc(256);
    expect_breakpoint_refused(ctx, 0, DEBUG_BREAKPOINT_SOFTWARE, "ctx, address 0, SOFTWARE");
    expect_breakpoint_refused(ctx, 0, DEBUG_BREAKPOINT_HARDWARE, "ctx, address 0, HARDWARE");
    expect_breakpoint_refused(ctx, code, (debug_breakpoint_type_t)2,
                              "ctx, a function, type 2 (not a debug_breakpoint_type_t)");
    expect_breakpoint_refused(ctx, code, (debug_breakpoint_type_t)-1,
                              "ctx, a function, type -1 (not a debug_breakpoint_type_t)");
    expect_breakpoint_refused(ctx, (uintptr_t)data, DEBUG_BREAKPOINT_SOFTWARE,
                              "ctx, heap data (readable, not executable), SOFTWARE");
    expect_breakpoint_refused(ctx, unmapped_page(), DEBUG_BREAKPOINT_SOFTWARE,
                              "ctx, an address in a page just unmapped, SOFTWARE");
    expect_breakpoint_refused(ctx, UINTPTR_MAX - 7, DEBUG_BREAKPOINT_SOFTWARE,
                              "ctx, UINTPTR_MAX - 7 (never mapped), SOFTWARE");
    cr_assert(CAND(module_debugger_set_breakpoint)(ctx, code, DEBUG_BREAKPOINT_SOFTWARE),
              "module_debugger_set_breakpoint(ctx, debug_target_plain, SOFTWARE) returned false "
              "with %s after the refused calls (SPEC 14.3)",
              error_name(CAND(module_get_last_error)()));
    capture_take(NULL);
    expect_breakpoint_refused(ctx, code, DEBUG_BREAKPOINT_SOFTWARE,
                              "ctx, debug_target_plain again, SOFTWARE (already set)");
    expect_breakpoint_refused(ctx, code, DEBUG_BREAKPOINT_HARDWARE,
                              "ctx, debug_target_plain again, HARDWARE (already set)");
    module_debugger_context_t* other = case_debugger_new();
    expect_breakpoint_refused(other, code, DEBUG_BREAKPOINT_SOFTWARE,
                              "another context, debug_target_plain (already set by the first)");
    capture_stop();
    cr_assert(debug_target_plain(7) == 22,
              "debug_target_plain(7) returned %d after the refused calls, expected 22 "
              "(SPEC 14.4)",
              debug_target_plain(7));
    case_debugger_release(other);
    case_debugger_release(ctx);
}

CONFORMANCE_CASE(debugger_args, DEBUG_ARG_002, "14.12",
                 "set_watchpoint refuses address 0, size 0, bad types, ranges past the end of "
                 "memory, unmapped memory and overlaps with INVALID_PARAMETER")
{
    module_debugger_context_t* ctx = case_debugger_new();
    unsigned char* memory = debugger_watch_memory();
    uintptr_t base = (uintptr_t)memory + 64;
    capture_start();
    expect_watch_refused(ctx, 0, 8, DEBUG_WATCHPOINT_WRITE, "ctx, address 0, 8, WRITE");
    expect_watch_refused(ctx, base, 0, DEBUG_WATCHPOINT_WRITE, "ctx, mapped memory, size 0, WRITE");
    expect_watch_refused(ctx, base, 8, (debug_watchpoint_type_t)0,
                         "ctx, mapped memory, 8, type 0 (not a debug_watchpoint_type_t)");
    expect_watch_refused(ctx, base, 8, (debug_watchpoint_type_t)4,
                         "ctx, mapped memory, 8, type 4 (not a debug_watchpoint_type_t)");
    expect_watch_refused(ctx, base, SIZE_MAX, DEBUG_WATCHPOINT_WRITE,
                         "ctx, mapped memory, SIZE_MAX (address + size overflows), WRITE");
    expect_watch_refused(ctx, UINTPTR_MAX - 3, 8, DEBUG_WATCHPOINT_ACCESS,
                         "ctx, UINTPTR_MAX - 3, 8 (address + size overflows), ACCESS");
    expect_watch_refused(ctx, unmapped_page(), 16, DEBUG_WATCHPOINT_WRITE,
                         "ctx, a page just unmapped, 16, WRITE");
    cr_assert(CAND(module_debugger_set_watchpoint)(ctx, base, 16, DEBUG_WATCHPOINT_WRITE),
              "module_debugger_set_watchpoint(ctx, 16 mapped bytes, WRITE) returned false with "
              "%s after the refused calls",
              error_name(CAND(module_get_last_error)()));
    capture_take(NULL);
    expect_watch_refused(ctx, base, 16, DEBUG_WATCHPOINT_WRITE, "the same range again");
    expect_watch_refused(ctx, base + 15, 4, DEBUG_WATCHPOINT_WRITE,
                         "a range overlapping the watched one's last byte");
    expect_watch_refused(ctx, base - 4, 5, DEBUG_WATCHPOINT_READ,
                         "a range overlapping the watched one's first byte");
    module_debugger_context_t* other = case_debugger_new();
    expect_watch_refused(other, base + 8, 1, DEBUG_WATCHPOINT_ACCESS,
                         "another context, a byte inside the first one's watched range");
    capture_stop();
    cr_assert(CAND(module_debugger_set_watchpoint)(ctx, base + 16, 4, DEBUG_WATCHPOINT_WRITE),
              "module_debugger_set_watchpoint of the 4 bytes right after a watched range (no "
              "overlap) returned false with %s (SPEC 14.9)",
              error_name(CAND(module_get_last_error)()));
    case_debugger_release(other);
    case_debugger_release(ctx);
}

CONFORMANCE_CASE(debugger_args, DEBUG_ARG_003, "14.12",
                 "a breakpoint on a function of a module since unloaded fails with "
                 "INVALID_PARAMETER")
{
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t handle = case_load(system, fixture_module("example_module"));
    uintptr_t stale = (uintptr_t)case_symbol(handle, "example_function");
    case_unload(handle);
    case_system_destroy(system);
    if (debugger_is_mapped(stale)) {
        conformance_not_supported("example_module's code is still mapped after its unload (the "
                                  "candidate or the platform loader keeps it): no stale address "
                                  "to try");
    }
    module_debugger_context_t* ctx = case_debugger_new();
    capture_start();
    expect_breakpoint_refused(ctx, stale, DEBUG_BREAKPOINT_SOFTWARE,
                              "ctx, example_function of an unloaded module, SOFTWARE");
    expect_breakpoint_refused(ctx, stale, DEBUG_BREAKPOINT_HARDWARE,
                              "ctx, example_function of an unloaded module, HARDWARE");
    capture_stop();
    case_debugger_release(ctx);
}
