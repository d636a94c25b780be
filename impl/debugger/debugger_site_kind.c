/* debugger_site_kind.c — see debugger_site_kind.h. */
#include "debugger_site_kind.h"

#include "debugger_hardware.h"
#include "debugger_page_watch.h"
#include "debugger_software.h"

bool debugger_site_arm(debugger_site_t* site, coremod_failure_t* failure)
{
    switch (site->kind) {
    case DEBUGGER_SITE_SOFTWARE_BREAKPOINT: return software_breakpoint_arm(site, failure);
    case DEBUGGER_SITE_HARDWARE_BREAKPOINT:
    case DEBUGGER_SITE_HARDWARE_WATCHPOINT: return hardware_site_arm(site, failure);
    case DEBUGGER_SITE_PAGE_WATCHPOINT: return page_watch_arm(site, failure);
    }
    failure_set(failure, MODULE_ERROR_SYSTEM_ERROR, "debugger: unknown site kind %d",
                (int)site->kind);
    return false;
}

void debugger_site_clear(debugger_site_t* site)
{
    switch (site->kind) {
    case DEBUGGER_SITE_SOFTWARE_BREAKPOINT: software_breakpoint_disarm(site); break;
    case DEBUGGER_SITE_HARDWARE_BREAKPOINT:
    case DEBUGGER_SITE_HARDWARE_WATCHPOINT: hardware_site_disarm(site); break;
    case DEBUGGER_SITE_PAGE_WATCHPOINT: page_watch_disarm(site); break;
    }
    debugger_site_retire(site);
}
