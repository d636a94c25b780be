/*
 * debugger_context.h — a debugger context (SPEC 14): its event queue, the stop that
 * module_debugger_wait_event returned last, and the capabilities found when it was created.
 *
 * The value handed to the caller is a handle-table token of HANDLE_KIND_DEBUGGER, validated like
 * the JIT, Cache and NUMA contexts (optimization_context.h) and never dereferenced before that.
 * A public function does not keep the table's read lock while it works (wait_event may sleep for
 * seconds): it takes a reference on the context under the lock and drops the lock; destroy
 * invalidates the token first (no new reference can be taken), wakes the waiters and waits for
 * the references to go before it frees anything.
 */
#ifndef COREMOD_DEBUGGER_CONTEXT_H
#define COREMOD_DEBUGGER_CONTEXT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "debugger_events.h"
#include "debugger_state.h"
#include "module_debugger.h"

typedef struct debugger_context {
    debugger_event_queue_t queue;
    _Atomic unsigned references; /* public calls in progress on this context */
    debug_capabilities_t capabilities;
    pthread_mutex_t stop_lock; /* guards the three fields below */
    bool has_stop;
    debug_event_t last_event;
    debugger_registers_t last_registers;
} debugger_context_t;

/* module_debugger_create: a new published context (its token), or NULL after reporting the
 * failure. Installs the signal handlers and runs the self-tests on first use. */
module_debugger_context_t* debugger_context_create(const char* operation);

/* The live context named by `ctx` with a reference taken, or NULL after reporting
 * INVALID_PARAMETER (NULL, never made, destroyed, or another API's context). */
debugger_context_t* debugger_context_acquire(const char* operation,
                                             const module_debugger_context_t* ctx);
void debugger_context_release(debugger_context_t* context);

/* module_debugger_destroy: invalidates the token, clears every site the context owns and frees
 * it once no handler and no public call uses it. false after reporting a bad `ctx`. */
bool debugger_context_destroy(const char* operation, const module_debugger_context_t* ctx);

/* Records the stop wait_event returned, for get_processor_state. */
void debugger_context_set_stop(debugger_context_t* context, const debug_event_t* event,
                               const debugger_registers_t* registers);
/* The last stop's registers; false when there was none yet. */
bool debugger_context_get_stop(debugger_context_t* context, debugger_registers_t* registers);

#endif /* COREMOD_DEBUGGER_CONTEXT_H */
