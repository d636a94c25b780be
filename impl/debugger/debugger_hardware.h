/*
 * debugger_hardware.h — breakpoints and watchpoints in the CPU's debug registers (SPEC 14), on
 * Linux through perf_event_open(PERF_TYPE_BREAKPOINT) with sigtrap: one event per thread that
 * exists, inherited by the threads they create, so a site covers every thread of the process.
 *
 * macOS (not built: impl/meson.build compiles debugger_hardware_linux.c only). The design there
 * would be Mach's, not signals: a debugger thread owns an exception port set with
 * task_set_exception_ports(mach_task_self(), EXC_MASK_BREAKPOINT, ...) and serves
 * mach_exc_server() messages; a site is written into every thread's debug state
 * (thread_set_state with ARM_DEBUG_STATE64 / x86_DEBUG_STATE64, one call per thread from
 * task_threads(), and for threads created later, which we do not expect Mach to give the
 * creator's debug state (unverified; perf's inherit covers them on Linux); the exception handler
 * records the event from the thread state it is handed and replies KERN_SUCCESS after stepping over
 * the breakpoint. None of it is written or tested here; on macOS every hardware kind would answer
 * "not supported".
 */
#ifndef COREMOD_DEBUGGER_HARDWARE_H
#define COREMOD_DEBUGGER_HARDWARE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "debugger_site.h"
#include "errors.h"

typedef struct {
    bool breakpoints;      /* an execute breakpoint's trap arrived in the self-test */
    bool watchpoints;      /* a write watch's trap arrived in the self-test */
    bool read_watchpoints; /* the registers watch reads alone (x86: no) */
    uint32_t slots;        /* debug registers per thread */
    uint32_t max_watch_size;
    const char* why_not; /* when breakpoints is false: the reason, for messages */
} hardware_debug_support_t;

/* Self-tests once per process (thread-safe). */
const hardware_debug_support_t* hardware_debug_support(void);

/* Set time, sites lock held. false with `failure` set: SYSTEM_ERROR "not supported" (no debug
 * registers here), RESOURCE_EXHAUSTED (every slot in use), INVALID_PARAMETER (size or alignment a
 * register cannot watch). */
bool hardware_site_arm(debugger_site_t* site, coremod_failure_t* failure);
void hardware_site_disarm(debugger_site_t* site);

/* Whether a watch of this size, alignment and type fits a debug register that is free now. */
bool hardware_watch_fits(uintptr_t address, size_t size, debug_watchpoint_type_t type);

/* SIGTRAP handler (async-signal-safe): true when the trap came from one of our events. */
bool hardware_site_on_trap(siginfo_t* info, void* ucontext);

#endif /* COREMOD_DEBUGGER_HARDWARE_H */
