/*
 * debugger_state.h — the registers of a thread at a stop (SPEC 14), taken from the ucontext the
 * kernel hands a signal handler, kept in the machine's own layout and converted to the public
 * structs on request. One implementation file per machine (debugger_state_x86_64.c,
 * debugger_state_aarch64.c); meson builds the one for the host.
 */
#ifndef COREMOD_DEBUGGER_STATE_H
#define COREMOD_DEBUGGER_STATE_H

#include <stdbool.h>

#include "errors.h"
#include "module_debugger.h"

/* The native state: exactly what the machine's public struct holds. */
typedef struct {
#if defined(__x86_64__)
    x86_64_processor_state_t x86_64;
#elif defined(__aarch64__)
    arm64_processor_state_t arm64;
#else
#error "the debugger supports x86-64 and AArch64 only"
#endif
} debugger_registers_t;

/* Async-signal-safe: copies the registers out of a signal's ucontext (plain loads, no calls). */
void debugger_registers_capture(debugger_registers_t* out, const void* ucontext);

/* The program counter saved in a signal's ucontext (async-signal-safe). */
uintptr_t debugger_ucontext_pc(const void* ucontext);

/* The public views. false with `failure` set (SYSTEM_ERROR, "not supported on <machine>") when
 * this machine's registers cannot fill that struct honestly. */
bool debugger_registers_to_arm64(const debugger_registers_t* registers,
                                 arm64_processor_state_t* out, coremod_failure_t* failure);
bool debugger_registers_to_x86_64(const debugger_registers_t* registers,
                                  x86_64_processor_state_t* out, coremod_failure_t* failure);

/* Whether each public view can succeed on this machine (for the capabilities). */
bool debugger_registers_have_arm64(void);
bool debugger_registers_have_x86_64(void);

#endif /* COREMOD_DEBUGGER_STATE_H */
