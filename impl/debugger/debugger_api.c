/*
 * debugger_api.c — the Debugging System API's public functions (module_debugger.h, SPEC 14):
 * argument validation, the choice of a site's kind, and error reporting. The parts do the work:
 * debugger_context.h (contexts, events, the last stop), debugger_site.h (the table),
 * debugger_software.h, debugger_hardware.h, debugger_page_watch.h (the kinds).
 *
 * Every failure found under the sites lock is described in a coremod_failure_t and reported
 * after the lock is released (errors.h), so an error callback may call back into the API.
 */
#include <inttypes.h>

#include "debugger_context.h"
#include "debugger_hardware.h"
#include "debugger_memory_map.h"
#include "debugger_page_watch.h"
#include "debugger_site.h"
#include "debugger_site_kind.h"
#include "debugger_software.h"
#include "errors.h"

#define ADDR(a) ((unsigned long)(a))

COREMOD_PUBLIC module_debugger_context_t* module_debugger_create(void)
{
    module_debugger_context_t* ctx = debugger_context_create("module_debugger_create");
    if (ctx != NULL) {
        error_succeed();
    }
    return ctx;
}

COREMOD_PUBLIC void module_debugger_destroy(module_debugger_context_t* ctx)
{
    if (ctx == NULL) {
        return; /* the header's promise: NULL does nothing, last error included */
    }
    if (debugger_context_destroy("module_debugger_destroy", ctx)) {
        error_succeed();
    }
}

/* The range check of a set call, as a failure (false) or nothing (true). */
static bool range_ok(const char* operation, uintptr_t address, size_t size, bool executable,
                     coremod_failure_t* failure)
{
    switch (memory_map_check_range(address, size, executable)) {
    case MEMORY_RANGE_MAPPED: return true;
    case MEMORY_RANGE_NOT_MAPPED:
        failure_set(failure, MODULE_ERROR_INVALID_PARAMETER,
                    "%s: [%#lx, +%zu) is not mapped in this process", operation, ADDR(address),
                    size);
        return false;
    case MEMORY_RANGE_NOT_EXECUTABLE:
        failure_set(failure, MODULE_ERROR_INVALID_PARAMETER, "%s: %#lx is not in executable memory",
                    operation, ADDR(address));
        return false;
    case MEMORY_RANGE_UNREADABLE: break;
    }
    failure_set(failure, MODULE_ERROR_SYSTEM_ERROR, "%s: cannot read /proc/self/maps", operation);
    return false;
}

/* Reserves, arms and publishes a site (sites lock held). */
static bool arm_new_site(const char* operation, debugger_context_t* context,
                         debugger_site_kind_t kind, uintptr_t address, size_t size,
                         debug_watchpoint_type_t watch_type, coremod_failure_t* failure)
{
    debugger_site_t* site = debugger_site_reserve(context, kind, address, size, watch_type);
    if (site == NULL) {
        failure_set(failure, MODULE_ERROR_RESOURCE_EXHAUSTED,
                    "%s: every one of the process's %u breakpoint and watchpoint sites is in use",
                    operation, DEBUGGER_MAX_SITES);
        return false;
    }
    bool armed = debugger_site_arm(site, failure);
    if (!armed && kind == DEBUGGER_SITE_HARDWARE_WATCHPOINT &&
        failure->code == MODULE_ERROR_RESOURCE_EXHAUSTED && page_watchpoints_available()) {
        /* A register the self-test counted is taken by someone else on some thread: the page
         * protection watches any range, so the watch is still set, only slower. */
        site->kind = DEBUGGER_SITE_PAGE_WATCHPOINT;
        *failure = (coremod_failure_t){0};
        armed = debugger_site_arm(site, failure);
    }
    if (!armed) {
        debugger_site_retire(site);
        return false;
    }
    debugger_site_publish(site);
    return true;
}

COREMOD_PUBLIC bool module_debugger_set_breakpoint(module_debugger_context_t* ctx,
                                                   uintptr_t address, debug_breakpoint_type_t type)
{
    static const char operation[] = "module_debugger_set_breakpoint";
    if (type != DEBUG_BREAKPOINT_SOFTWARE && type != DEBUG_BREAKPOINT_HARDWARE) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "%s: %d is not a breakpoint type", operation,
                   (int)type);
        return false;
    }
    if (address == 0) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "%s: address is 0", operation);
        return false;
    }
    debugger_context_t* context = debugger_context_acquire(operation, ctx);
    if (context == NULL) {
        return false;
    }
    coremod_failure_t failure = {0};
    bool ok = range_ok(operation, address, 1, true, &failure);
    if (ok) {
        debugger_sites_lock();
        debugger_site_t* existing = debugger_site_find_breakpoint_locked(address);
        const hardware_debug_support_t* hardware = hardware_debug_support();
        if (existing != NULL) {
            failure_set(&failure, MODULE_ERROR_INVALID_PARAMETER,
                        "%s: a breakpoint is already set at %#lx%s", operation, ADDR(address),
                        existing->owner == context ? "" : " (by another context)");
            ok = false;
        } else if (type == DEBUG_BREAKPOINT_HARDWARE && !hardware->breakpoints) {
            failure_set(&failure, MODULE_ERROR_SYSTEM_ERROR, "%s: %s", operation,
                        hardware->why_not != NULL ? hardware->why_not
                                                  : "hardware breakpoints are not supported here");
            ok = false;
        } else if (type == DEBUG_BREAKPOINT_SOFTWARE && !software_breakpoints_available()) {
            failure_set(&failure, MODULE_ERROR_SYSTEM_ERROR,
                        "%s: software breakpoints are not supported here (their self-test "
                        "failed)",
                        operation);
            ok = false;
        } else {
            ok = arm_new_site(operation, context,
                              type == DEBUG_BREAKPOINT_HARDWARE ? DEBUGGER_SITE_HARDWARE_BREAKPOINT
                                                                : DEBUGGER_SITE_SOFTWARE_BREAKPOINT,
                              address, 0, DEBUG_WATCHPOINT_ACCESS, &failure);
        }
        debugger_sites_unlock();
    }
    debugger_context_release(context);
    if (!ok) {
        failure_report(&failure);
        return false;
    }
    error_succeed();
    return true;
}

static const char* watch_type_name(debug_watchpoint_type_t type)
{
    switch (type) {
    case DEBUG_WATCHPOINT_READ: return "read";
    case DEBUG_WATCHPOINT_WRITE: return "write";
    case DEBUG_WATCHPOINT_ACCESS: return "access";
    }
    return "?";
}

COREMOD_PUBLIC bool module_debugger_set_watchpoint(module_debugger_context_t* ctx,
                                                   uintptr_t address, size_t size,
                                                   debug_watchpoint_type_t type)
{
    static const char operation[] = "module_debugger_set_watchpoint";
    if (type != DEBUG_WATCHPOINT_READ && type != DEBUG_WATCHPOINT_WRITE &&
        type != DEBUG_WATCHPOINT_ACCESS) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "%s: %d is not a watchpoint type", operation,
                   (int)type);
        return false;
    }
    if (address == 0 || size == 0) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "%s: %s is 0", operation,
                   address == 0 ? "address" : "size");
        return false;
    }
    if (size - 1 > UINTPTR_MAX - address) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER,
                   "%s: %#lx + %zu goes past the end of the address space", operation,
                   ADDR(address), size);
        return false;
    }
    debugger_context_t* context = debugger_context_acquire(operation, ctx);
    if (context == NULL) {
        return false;
    }
    coremod_failure_t failure = {0};
    bool ok = range_ok(operation, address, size, false, &failure);
    if (ok) {
        debugger_sites_lock();
        debugger_site_t* existing = debugger_site_find_watch_overlap_locked(address, size);
        if (existing != NULL) {
            failure_set(&failure, MODULE_ERROR_INVALID_PARAMETER,
                        "%s: [%#lx, +%zu) overlaps the watchpoint [%#lx, +%zu)", operation,
                        ADDR(address), size, ADDR(existing->address), existing->size);
            ok = false;
        } else if (hardware_watch_fits(address, size, type)) {
            ok = arm_new_site(operation, context, DEBUGGER_SITE_HARDWARE_WATCHPOINT, address, size,
                              type, &failure);
        } else if (!page_watchpoints_available()) {
            failure_set(&failure, MODULE_ERROR_SYSTEM_ERROR,
                        "%s: a %zu-byte %s watch at %#lx needs page-protection watchpoints, which "
                        "are not supported here (%s)",
                        operation, size, watch_type_name(type), ADDR(address),
                        hardware_debug_support()->watchpoints
                            ? "no debug register fits it"
                            : "and there are no hardware watchpoints either");
            ok = false;
        } else {
            ok = arm_new_site(operation, context, DEBUGGER_SITE_PAGE_WATCHPOINT, address, size,
                              type, &failure);
        }
        debugger_sites_unlock();
    }
    debugger_context_release(context);
    if (!ok) {
        failure_report(&failure);
        return false;
    }
    error_succeed();
    return true;
}

/* With the sites lock held: the breakpoint at `address`, or (breakpoint false) the watchpoint
 * starting at `address`, that `context` set; NULL if none. */
static debugger_site_t* owned_site(const debugger_context_t* context, uintptr_t address,
                                   bool breakpoint)
{
    debugger_site_t* site = breakpoint ? debugger_site_find_breakpoint_locked(address)
                                       : debugger_site_find_watch_overlap_locked(address, 1);
    if (site == NULL || site->owner != context || site->address != address) {
        return NULL;
    }
    return site;
}

static bool clear_site(const char* operation, module_debugger_context_t* ctx, uintptr_t address,
                       bool breakpoint)
{
    debugger_context_t* context = debugger_context_acquire(operation, ctx);
    if (context == NULL) {
        return false;
    }
    debugger_sites_lock();
    debugger_site_t* site = owned_site(context, address, breakpoint);
    if (site != NULL) {
        debugger_site_clear(site);
    }
    debugger_sites_unlock();
    debugger_context_release(context);
    if (site == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "%s: this context has no %s at %#lx", operation,
                   breakpoint ? "breakpoint" : "watchpoint starting", ADDR(address));
        return false;
    }
    error_succeed();
    return true;
}

COREMOD_PUBLIC bool module_debugger_clear_breakpoint(module_debugger_context_t* ctx,
                                                     uintptr_t address)
{
    return clear_site("module_debugger_clear_breakpoint", ctx, address, true);
}

COREMOD_PUBLIC bool module_debugger_clear_watchpoint(module_debugger_context_t* ctx,
                                                     uintptr_t address)
{
    return clear_site("module_debugger_clear_watchpoint", ctx, address, false);
}

COREMOD_PUBLIC bool module_debugger_get_hit_count(module_debugger_context_t* ctx, uintptr_t address,
                                                  uint64_t* count)
{
    static const char operation[] = "module_debugger_get_hit_count";
    if (count == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "%s: count is NULL", operation);
        return false;
    }
    debugger_context_t* context = debugger_context_acquire(operation, ctx);
    if (context == NULL) {
        return false;
    }
    debugger_sites_lock();
    const debugger_site_t* site = owned_site(context, address, true);
    if (site == NULL) {
        site = owned_site(context, address, false);
    }
    if (site != NULL) {
        *count = atomic_load(&site->hits);
    }
    debugger_sites_unlock();
    debugger_context_release(context);
    if (site == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER,
                   "%s: this context has no breakpoint or watchpoint at %#lx", operation,
                   ADDR(address));
        return false;
    }
    error_succeed();
    return true;
}

COREMOD_PUBLIC bool module_debugger_wait_event(module_debugger_context_t* ctx, debug_event_t* event,
                                               uint32_t timeout_ms)
{
    static const char operation[] = "module_debugger_wait_event";
    if (event == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "%s: event is NULL", operation);
        return false;
    }
    debugger_context_t* context = debugger_context_acquire(operation, ctx);
    if (context == NULL) {
        return false;
    }
    debugger_registers_t registers;
    debugger_event_wait_t result =
        debugger_event_queue_pop(&context->queue, event, &registers, timeout_ms);
    if (result == DEBUGGER_EVENT_TAKEN) {
        debugger_context_set_stop(context, event, &registers);
    }
    debugger_context_release(context);
    switch (result) {
    case DEBUGGER_EVENT_TAKEN: error_succeed(); return true;
    case DEBUGGER_EVENT_TIMEOUT:
        error_fail(MODULE_ERROR_RESOURCE_EXHAUSTED, "%s: no event within %" PRIu32 " ms", operation,
                   timeout_ms);
        return false;
    case DEBUGGER_EVENT_CLOSING: break;
    }
    error_fail(MODULE_ERROR_INVALID_PARAMETER, "%s: the context was destroyed while waiting",
               operation);
    return false;
}

/* The machine's verdict on a foreign struct, under the operation's name. */
static bool no_such_state(const char* operation, bool converted, coremod_failure_t* failure)
{
    if (!converted && failure->code == MODULE_ERROR_SYSTEM_ERROR) {
        coremod_failure_t named = {0};
        failure_set(&named, failure->code, "%s: %.400s", operation, failure->message);
        *failure = named;
    }
    return converted;
}

/* The registers of the last stop, or false with `failure` set (no stop yet). Reported by the
 * caller once the context's reference is dropped: a callback may destroy the context. */
static bool last_stop(const char* operation, debugger_context_t* context,
                      debugger_registers_t* registers, coremod_failure_t* failure)
{
    if (debugger_context_get_stop(context, registers)) {
        return true;
    }
    failure_set(failure, MODULE_ERROR_INVALID_PARAMETER,
                "%s: no stop yet (module_debugger_wait_event has returned no event on this "
                "context)",
                operation);
    return false;
}

/* The two public views of the registers: each succeeds on the machine whose struct it is. */
typedef enum { STATE_VIEW_ARM64, STATE_VIEW_X86_64 } state_view_t;

static bool view_exists(state_view_t view)
{
    return view == STATE_VIEW_ARM64 ? debugger_registers_have_arm64()
                                    : debugger_registers_have_x86_64();
}

static bool view_convert(state_view_t view, const debugger_registers_t* registers, void* state,
                         coremod_failure_t* failure)
{
    return view == STATE_VIEW_ARM64 ? debugger_registers_to_arm64(registers, state, failure)
                                    : debugger_registers_to_x86_64(registers, state, failure);
}

/* What module_debugger_get_processor_state and module_debugger_get_x86_64_state share. */
static bool get_state(const char* operation, module_debugger_context_t* ctx, state_view_t view,
                      void* state)
{
    if (state == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "%s: state is NULL", operation);
        return false;
    }
    debugger_context_t* context = debugger_context_acquire(operation, ctx);
    if (context == NULL) {
        return false;
    }
    coremod_failure_t failure = {0};
    debugger_registers_t registers = {0};
    bool ok;
    /* The machine decides first: a view this machine lacks fails the same with or without a
     * stop. */
    if (!view_exists(view)) {
        ok = no_such_state(operation, view_convert(view, &registers, state, &failure), &failure);
    } else {
        ok = last_stop(operation, context, &registers, &failure) &&
             view_convert(view, &registers, state, &failure);
    }
    debugger_context_release(context);
    if (!ok) {
        failure_report(&failure);
        return false;
    }
    error_succeed();
    return true;
}

COREMOD_PUBLIC bool module_debugger_get_processor_state(module_debugger_context_t* ctx,
                                                        arm64_processor_state_t* state)
{
    return get_state("module_debugger_get_processor_state", ctx, STATE_VIEW_ARM64, state);
}

COREMOD_PUBLIC bool module_debugger_get_x86_64_state(module_debugger_context_t* ctx,
                                                     x86_64_processor_state_t* state)
{
    return get_state("module_debugger_get_x86_64_state", ctx, STATE_VIEW_X86_64, state);
}
