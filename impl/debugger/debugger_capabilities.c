/* debugger_capabilities.c — see debugger_capabilities.h; module_debugger_get_capabilities. */
#include "debugger_capabilities.h"

#include "debugger_context.h"
#include "debugger_hardware.h"
#include "debugger_page_watch.h"
#include "debugger_software.h"
#include "errors.h"

void debugger_capabilities_detect(debug_capabilities_t* out)
{
    const hardware_debug_support_t* hardware = hardware_debug_support();
    *out = (debug_capabilities_t){
        .software_breakpoints = software_breakpoints_available(),
        .hardware_breakpoints = hardware->breakpoints,
        .hardware_watchpoints = hardware->watchpoints,
        .hardware_read_watchpoints = hardware->watchpoints && hardware->read_watchpoints,
        .page_watchpoints = page_watchpoints_available(),
        .hardware_slots = (hardware->breakpoints || hardware->watchpoints) ? hardware->slots : 0,
        .hardware_watch_max_size = hardware->watchpoints ? hardware->max_watch_size : 0,
        .arm64_processor_state = debugger_registers_have_arm64(),
        .x86_64_processor_state = debugger_registers_have_x86_64(),
    };
}

COREMOD_PUBLIC bool module_debugger_get_capabilities(module_debugger_context_t* ctx,
                                                     debug_capabilities_t* caps)
{
    static const char operation[] = "module_debugger_get_capabilities";
    if (caps == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "%s: caps is NULL", operation);
        return false;
    }
    debugger_context_t* context = debugger_context_acquire(operation, ctx);
    if (context == NULL) {
        return false;
    }
    *caps = context->capabilities;
    debugger_context_release(context);
    error_succeed();
    return true;
}
