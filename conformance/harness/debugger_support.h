/*
 * debugger_support.h — what the debugger's cases (SPEC 14) share: contexts, observing hits,
 * deciding `not_supported`, and memory to watch.
 *
 * Two kinds of helpers, after the two areas (SPEC 14, introduction). The `debugger` area's cases
 * use only the document's four functions (and module_debugger_destroy when the candidate has it,
 * to clean up: never a check). The helpers that observe hits — events, hit counts, capabilities —
 * are coremod's (area `debugger-ext`) and refuse, as a harness error, to run in a case that cites
 * a document-level clause (conformance_require_coremod_case).
 */
#ifndef CONFORMANCE_DEBUGGER_SUPPORT_H
#define CONFORMANCE_DEBUGGER_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "module_debugger.h"

/* module_debugger_create through the candidate; fails the case (SPEC 14.1) on NULL. */
module_debugger_context_t* case_debugger_new(void);

/* Destroys `ctx` when the candidate has module_debugger_destroy (else leaves it: a candidate
 * written from the document alone has no way to, and the case's process ends with the case). */
void case_debugger_release(module_debugger_context_t* ctx);

/* Coremod: fails the case unless the candidate exports every function of
 * CANDIDATE_DEBUGGER_FUNCTIONS (for cases whose worker threads call the candidate directly). */
void debugger_require_all(void);

/* What a hardware case's not_supported message says (tests/test_aarch64.py expects it under
 * qemu-user, where perf_event_open is ENOSYS). */
#define DEBUGGER_NO_HARDWARE "no working debug registers here"

/* Sets a breakpoint that the case needs (not one it checks): fails the case naming `what` and the
 * last error when the set returns false — except a hardware one refused with
 * MODULE_ERROR_SYSTEM_ERROR, which ends the case not_supported (SPEC 14.3, 14.10). */
void debugger_set_breakpoint_or_end(module_debugger_context_t* ctx, uintptr_t address,
                                    debug_breakpoint_type_t type, const char* what);

/* Coremod: ends the case not_supported unless the candidate's capabilities (SPEC 14.14) say that
 * hardware breakpoints (`watch` false) or hardware watchpoints (`watch` true) deliver traps. */
void debugger_require_hardware(module_debugger_context_t* ctx, bool watch);

/* Coremod (SPEC 14.6): the next event, waiting up to `timeout_ms`; fails the case with `what` in
 * the message when none arrives. */
debug_event_t debugger_expect_event(module_debugger_context_t* ctx, uint32_t timeout_ms,
                                    const char* what);

/* Coremod (SPEC 14.6): fails the case when an event is queued (looked for during `timeout_ms`);
 * `what` says what must not have produced one. */
void debugger_expect_no_event(module_debugger_context_t* ctx, uint32_t timeout_ms,
                              const char* what);

/* Coremod (SPEC 14.7): the hit count of the site at `address`; fails the case when the call
 * fails. */
uint64_t debugger_hits(module_debugger_context_t* ctx, uintptr_t address, const char* what);

/* Two fresh read-write pages of their own (mmap), so that a watch by page protection shares its
 * pages with nothing else the case or the harness touches (left mapped: the process ends with the
 * case). */
#define DEBUGGER_WATCH_PAGES 2
unsigned char* debugger_watch_memory(void);

/* Whether `address` lies in a mapped page (msync). */
bool debugger_is_mapped(uintptr_t address);

/* The name of a debug_event_type_t / debug_watchpoint_type_t, for messages. */
const char* debugger_event_type_name(debug_event_type_t type);
const char* debugger_watch_type_name(debug_watchpoint_type_t type);

#endif /* CONFORMANCE_DEBUGGER_SUPPORT_H */
