/*
 * debugger_software.h — software breakpoints (SPEC 14): a trap instruction written over the
 * first bytes of the target instruction (int3 on x86-64, brk on AArch64), without leaving the
 * code page writable, and the displaced instruction executed out of line (debugger_displaced.h)
 * so the program keeps its behaviour, from any number of threads at once.
 */
#ifndef COREMOD_DEBUGGER_SOFTWARE_H
#define COREMOD_DEBUGGER_SOFTWARE_H

#include <signal.h>
#include <stdbool.h>

#include "debugger_site.h"
#include "errors.h"

/* Set time, sites lock held: decodes and relocates the instruction at site->address, writes the
 * trap. false with `failure` set (INVALID_PARAMETER: not code, undecodable, cannot be displaced;
 * SYSTEM_ERROR: the write failed). */
bool software_breakpoint_arm(debugger_site_t* site, coremod_failure_t* failure);

/* Clear time, sites lock held: writes the original bytes back. */
void software_breakpoint_disarm(debugger_site_t* site);

/* SIGTRAP handler (async-signal-safe): true when the trap was one of our breakpoints (live:
 * recorded and resumed out of line; retired: resumed at the restored instruction). */
bool software_breakpoint_on_trap(siginfo_t* info, void* ucontext);

/* Whether patched breakpoints work on this machine (a self-test, once per process). */
bool software_breakpoints_available(void);

#endif /* COREMOD_DEBUGGER_SOFTWARE_H */
