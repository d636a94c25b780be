/* debugger_support.c — see debugger_support.h. */
#include "debugger_support.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "case_context.h"
#include "case_outcome.h"
#include "error_names.h"

module_debugger_context_t* case_debugger_new(void)
{
    module_debugger_context_t* ctx = CAND(module_debugger_create)();
    if (ctx == NULL) {
        conformance_fail("module_debugger_create returned NULL with %s; the document's example "
                         "uses its result unchecked (SPEC 14.1)",
                         error_name(CAND(module_get_last_error)()));
    }
    return ctx;
}

void case_debugger_release(module_debugger_context_t* ctx)
{
    if (conformance_candidate.module_debugger_destroy != NULL) {
        conformance_candidate.module_debugger_destroy(ctx);
    }
}

void debugger_require_all(void)
{
    conformance_require_coremod_case("debugger_require_all",
                                     "SPEC 14: coremod's debugger functions exist");
    char missing[1024];
    if (candidate_missing_debugger_functions(&conformance_candidate, missing, sizeof(missing)) >
        0) {
        conformance_fail("the candidate %s does not export %s, which this case needs",
                         conformance_candidate.path, missing);
    }
}

void debugger_set_breakpoint_or_end(module_debugger_context_t* ctx, uintptr_t address,
                                    debug_breakpoint_type_t type, const char* what)
{
    if (CAND(module_debugger_set_breakpoint)(ctx, address, type)) {
        return;
    }
    module_error_t error = CAND(module_get_last_error)();
    if (type == DEBUG_BREAKPOINT_HARDWARE && error == MODULE_ERROR_SYSTEM_ERROR) {
        conformance_not_supported("the candidate refused a hardware breakpoint on %s with "
                                  "MODULE_ERROR_SYSTEM_ERROR: " DEBUGGER_NO_HARDWARE
                                  " (SPEC 14.3, 14.10)",
                                  what);
    }
    conformance_fail("module_debugger_set_breakpoint(%s, %s) returned false with %s; a function's "
                     "entry address must be accepted (SPEC 14.3)",
                     what, type == DEBUG_BREAKPOINT_HARDWARE ? "HARDWARE" : "SOFTWARE",
                     error_name(error));
}

void debugger_require_hardware(module_debugger_context_t* ctx, bool watch)
{
    conformance_require_coremod_case("debugger_require_hardware",
                                     "SPEC 14.14: module_debugger_get_capabilities");
    debug_capabilities_t caps;
    memset(&caps, 0, sizeof(caps));
    if (!CAND(module_debugger_get_capabilities)(ctx, &caps)) {
        conformance_fail("module_debugger_get_capabilities(ctx, &caps) failed with %s (SPEC 14.14)",
                         error_name(CAND(module_get_last_error)()));
    }
    if (watch ? !caps.hardware_watchpoints : !caps.hardware_breakpoints) {
        conformance_not_supported(
            "the candidate's capabilities deny hardware %s: " DEBUGGER_NO_HARDWARE " (SPEC 14.14)",
            watch ? "watchpoints" : "breakpoints");
    }
}

debug_event_t debugger_expect_event(module_debugger_context_t* ctx, uint32_t timeout_ms,
                                    const char* what)
{
    conformance_require_coremod_case("debugger_expect_event", "SPEC 14.6: events");
    debug_event_t event;
    memset(&event, 0, sizeof(event));
    if (!CAND(module_debugger_wait_event)(ctx, &event, timeout_ms)) {
        conformance_fail("%s produced no event within %u ms: module_debugger_wait_event failed "
                         "with %s (SPEC 14.6: a hit is queued before the thread goes on)",
                         what, timeout_ms, error_name(CAND(module_get_last_error)()));
    }
    return event;
}

void debugger_expect_no_event(module_debugger_context_t* ctx, uint32_t timeout_ms, const char* what)
{
    conformance_require_coremod_case("debugger_expect_no_event", "SPEC 14.6: events");
    debug_event_t event;
    memset(&event, 0, sizeof(event));
    if (CAND(module_debugger_wait_event)(ctx, &event, timeout_ms)) {
        conformance_fail("%s produced an event (type %s, address %#lx, access_address %#lx, pc "
                         "%#lx, thread %lu); it must not (SPEC 14.8, 14.9)",
                         what, debugger_event_type_name(event.type), (unsigned long)event.address,
                         (unsigned long)event.access_address, (unsigned long)event.pc,
                         (unsigned long)event.thread_id);
    }
    module_error_t error = CAND(module_get_last_error)();
    if (error != MODULE_ERROR_RESOURCE_EXHAUSTED) {
        conformance_fail("module_debugger_wait_event with no event queued failed with %s, "
                         "expected MODULE_ERROR_RESOURCE_EXHAUSTED (SPEC 14.6)",
                         error_name(error));
    }
}

uint64_t debugger_hits(module_debugger_context_t* ctx, uintptr_t address, const char* what)
{
    conformance_require_coremod_case("debugger_hits", "SPEC 14.7: hit counts");
    uint64_t count = 0;
    if (!CAND(module_debugger_get_hit_count)(ctx, address, &count)) {
        conformance_fail("module_debugger_get_hit_count(%s) failed with %s (SPEC 14.7)", what,
                         error_name(CAND(module_get_last_error)()));
    }
    return count;
}

unsigned char* debugger_watch_memory(void)
{
    long page = sysconf(_SC_PAGESIZE);
    void* memory = mmap(NULL, (size_t)page * DEBUGGER_WATCH_PAGES, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) {
        conformance_fail(HARNESS_FAULT_PREFIX "mmap of %d pages to watch failed: errno %d",
                         DEBUGGER_WATCH_PAGES, errno);
    }
    memset(memory, 0, (size_t)page * DEBUGGER_WATCH_PAGES);
    return memory;
}

bool debugger_is_mapped(uintptr_t address)
{
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    return msync((void*)(address & ~(page - 1)), 1, MS_ASYNC) == 0 || errno != ENOMEM;
}

const char* debugger_event_type_name(debug_event_type_t type)
{
    switch (type) {
    case DEBUG_EVENT_BREAKPOINT: return "BREAKPOINT";
    case DEBUG_EVENT_WATCHPOINT: return "WATCHPOINT";
    }
    return "(not a debug_event_type_t)";
}

const char* debugger_watch_type_name(debug_watchpoint_type_t type)
{
    switch (type) {
    case DEBUG_WATCHPOINT_READ: return "READ";
    case DEBUG_WATCHPOINT_WRITE: return "WRITE";
    case DEBUG_WATCHPOINT_ACCESS: return "ACCESS";
    }
    return "(not a debug_watchpoint_type_t)";
}
