/*
 * site_shim.h — a test-only stand-in for the debugger core's contexts (event recording, signal
 * installation) over the real site table, so the software-breakpoint and page-watch parts are
 * tested on their own.
 */
#ifndef COREMOD_DEBUGGER_SITE_SHIM_H
#define COREMOD_DEBUGGER_SITE_SHIM_H

#include <stddef.h>

#include "debugger_site.h"
#include "errors.h"

#define SHIM_EVENT_MAX 65536u

/* Installs the SIGTRAP/SIGSEGV handlers that call the parts' *_on_* functions. */
void shim_install_handlers(void);

/* Arms a site of `kind` and publishes it; NULL with `failure` set. */
debugger_site_t* shim_set(debugger_site_kind_t kind, uintptr_t address, size_t size,
                          debug_watchpoint_type_t type, coremod_failure_t* failure);
void shim_clear(debugger_site_t* site);

/* Events recorded so far (a fixed array; later ones are counted but dropped). */
size_t shim_event_count(void);
const debug_event_t* shim_event(size_t index);
void shim_events_reset(void);

#endif
