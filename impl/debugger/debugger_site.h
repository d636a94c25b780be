/*
 * debugger_site.h — the process-wide table of armed breakpoints and watchpoints (SPEC 14).
 *
 * The signal handlers find what a trap or fault belongs to here, so the table is a fixed array
 * that is never reallocated and is read without locks: a site is published (state LIVE) only
 * after every field the handlers read is written, and a cleared site passes through RETIRED
 * before it is reused, so a handler that raced with the clear still finds a consistent record.
 * Arming and clearing (normal thread context) hold debugger_sites_lock(); handlers never lock.
 *
 * One site per address of each family: a breakpoint address has at most one breakpoint (of either
 * type, from any context), and watched ranges do not overlap.
 */
#ifndef COREMOD_DEBUGGER_SITE_H
#define COREMOD_DEBUGGER_SITE_H

#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "module_debugger.h"

/* Sites the process can hold at once, all contexts together; one more fails with
 * MODULE_ERROR_RESOURCE_EXHAUSTED. */
#define DEBUGGER_MAX_SITES 256u

typedef enum {
    DEBUGGER_SITE_SOFTWARE_BREAKPOINT = 1, /* a patched trap instruction (debugger_software.h) */
    DEBUGGER_SITE_HARDWARE_BREAKPOINT = 2, /* a debug register (debugger_hardware.h) */
    DEBUGGER_SITE_HARDWARE_WATCHPOINT = 3, /* a debug register (debugger_hardware.h) */
    DEBUGGER_SITE_PAGE_WATCHPOINT = 4,     /* page protection (debugger_page_watch.h) */
} debugger_site_kind_t;

typedef enum {
    DEBUGGER_SITE_FREE = 0,
    DEBUGGER_SITE_ARMING = 1,  /* reserved by a set call; handlers ignore it */
    DEBUGGER_SITE_LIVE = 2,    /* armed; handlers report its hits */
    DEBUGGER_SITE_RETIRED = 3, /* cleared; handlers resume a thread that raced with the clear */
} debugger_site_state_t;

struct debugger_context; /* debugger_context.h */

typedef struct {
    _Atomic int state; /* debugger_site_state_t */
    debugger_site_kind_t kind;
    struct debugger_context* owner;
    uintptr_t address;                  /* breakpoint address, or first watched byte */
    size_t size;                        /* watchpoints: bytes watched; breakpoints: 0 */
    debug_watchpoint_type_t watch_type; /* watchpoints only */
    _Atomic uint64_t hits;
    /* Per-kind state, owned by the kind's file (opaque here, sized for the largest). */
    _Alignas(16) unsigned char kind_state[192];
} debugger_site_t;

/* The table (debugger_site.c). Index order is stable; handlers scan it. */
extern debugger_site_t debugger_sites[DEBUGGER_MAX_SITES];

void debugger_sites_lock(void);
void debugger_sites_unlock(void);

/* With the lock held: a FREE site moved to ARMING with its fields set, or NULL when every site is
 * in use. */
debugger_site_t* debugger_site_reserve(struct debugger_context* owner, debugger_site_kind_t kind,
                                       uintptr_t address, size_t size,
                                       debug_watchpoint_type_t watch_type);
void debugger_site_publish(debugger_site_t* site); /* ARMING -> LIVE */
void debugger_site_retire(debugger_site_t* site);  /* LIVE or ARMING -> RETIRED, then FREE later */

/* With the lock held: the LIVE or ARMING breakpoint at `address`, or the watchpoint whose range
 * overlaps [address, address + size); NULL if none. */
debugger_site_t* debugger_site_find_breakpoint_locked(uintptr_t address);
debugger_site_t* debugger_site_find_watch_overlap_locked(uintptr_t address, size_t size);

/* Async-signal-safe lookups for the handlers: the LIVE site of `kind` at `address` (breakpoints)
 * or containing `address` (watchpoints); NULL if none. */
debugger_site_t* debugger_site_find_live(debugger_site_kind_t kind, uintptr_t address);

/* Async-signal-safe: counts the hit and queues its event, with the registers of `ucontext`, in
 * the site's context (debugger_events.h; defined with the contexts, debugger_context.c). `event`
 * carries type, pc, access_address and access; the rest (address, thread, sequence) is filled here.
 */
void debugger_site_record_hit(debugger_site_t* site, const debug_event_t* event,
                              const void* ucontext);

/* The grace period that makes retiring safe. Every signal handler brackets its work with
 * debugger_handler_enter/exit (async-signal-safe); debugger_sites_synchronize (normal context,
 * never from a handler) returns once every handler that was running when it was called has
 * left, so a site retired (or per-kind state unpublished) before the call is no longer read by
 * any handler after it. RETIRED sites are recycled (made FREE) only after such a grace period. */
unsigned debugger_handler_enter(void); /* returns the token to give back at exit */
void debugger_handler_exit(unsigned token);
void debugger_sites_synchronize(void);

#endif /* COREMOD_DEBUGGER_SITE_H */
