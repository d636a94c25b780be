/*
 * debugger_page_watch.h — watchpoints of any size by page protection (SPEC 14): the pages holding
 * the range lose the access being watched; a fault inside the range is reported, a fault on the
 * same pages outside it is not; either way the access is then completed by executing the
 * faulting instruction out of line with the page open (debugger_displaced.h), and the page is
 * closed again.
 */
#ifndef COREMOD_DEBUGGER_PAGE_WATCH_H
#define COREMOD_DEBUGGER_PAGE_WATCH_H

#include <signal.h>
#include <stdbool.h>

#include "debugger_site.h"
#include "errors.h"

/* Set time, sites lock held: protects the range's pages. false with `failure` set
 * (INVALID_PARAMETER: the range is not mapped, or shares a page with memory the debugger itself
 * needs; SYSTEM_ERROR: mprotect failed). */
bool page_watch_arm(debugger_site_t* site, coremod_failure_t* failure);

/* Clear time, sites lock held: restores the pages' protection (while another watch still covers a
 * page, that page stays protected). */
void page_watch_disarm(debugger_site_t* site);

/* SIGSEGV handler (async-signal-safe): true when the fault was on a watched page. */
bool page_watch_on_fault(siginfo_t* info, void* ucontext);

/* SIGTRAP handler (async-signal-safe): true when the trap ends an out-of-line access. */
bool page_watch_on_trap(siginfo_t* info, void* ucontext);

/* Whether page-protection watchpoints work here (a self-test, once per process). */
bool page_watchpoints_available(void);

#endif /* COREMOD_DEBUGGER_PAGE_WATCH_H */
