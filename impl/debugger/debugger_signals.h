/*
 * debugger_signals.h — the debugger's SIGTRAP and SIGSEGV handlers (SPEC 14).
 *
 * Installed when the first context is created and kept for the life of the process (a trap of
 * a breakpoint cleared a moment ago may still be on its way, and must not kill the process);
 * the handlers they replaced are remembered. SIGTRAP goes to the hardware part, then the
 * software breakpoints, then the page watches' out-of-line steps; SIGSEGV to the page watches. A
 * signal none of them claims goes to the handler that was there before: a handler function is
 * called (SA_SIGINFO or plain); SIG_DFL or SIG_IGN: the default action is restored and the signal
 * raised again, so the process ends as it would have without the debugger. SA_ONSTACK is set, so
 * a thread that has an alternate signal stack uses it and a thread without one does not need one.
 */
#ifndef COREMOD_DEBUGGER_SIGNALS_H
#define COREMOD_DEBUGGER_SIGNALS_H

#include <stdbool.h>

#include "errors.h"

/* Thread-safe and idempotent. false with `failure` set (SYSTEM_ERROR) if sigaction failed. */
bool debugger_signals_install(coremod_failure_t* failure);

#endif /* COREMOD_DEBUGGER_SIGNALS_H */
