/* debugger_context.c — see debugger_context.h. */
#include "debugger_context.h"

#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "debugger_capabilities.h"
#include "debugger_handler_memory.h"
#include "debugger_signals.h"
#include "debugger_site.h"
#include "debugger_site_kind.h"
#include "optimization_context.h"

module_debugger_context_t* debugger_context_create(const char* operation)
{
    coremod_failure_t failure = {0};
    if (!debugger_signals_install(&failure)) {
        failure_report(&failure);
        return NULL;
    }
    debugger_context_t* context = handler_memory_alloc(sizeof(*context));
    if (context == NULL) {
        error_fail(MODULE_ERROR_OUT_OF_MEMORY, "%s: no memory for the context", operation);
        return NULL;
    }
    if (!debugger_event_queue_init(&context->queue)) {
        handler_memory_free(context, sizeof(*context));
        error_fail(MODULE_ERROR_OUT_OF_MEMORY, "%s: no memory for the event queue (%u events)",
                   operation, DEBUGGER_EVENT_QUEUE_SLOTS);
        return NULL;
    }
    atomic_init(&context->references, 0);
    pthread_mutex_init(&context->stop_lock, NULL);
    debugger_capabilities_detect(&context->capabilities);
    uintptr_t token = optimization_context_publish(operation, HANDLE_KIND_DEBUGGER, context);
    if (token == 0) {
        pthread_mutex_destroy(&context->stop_lock);
        debugger_event_queue_destroy(&context->queue);
        handler_memory_free(context, sizeof(*context));
        return NULL;
    }
    return (module_debugger_context_t*)token;
}

debugger_context_t* debugger_context_acquire(const char* operation,
                                             const module_debugger_context_t* ctx)
{
    debugger_context_t* context = optimization_context_enter(operation, ctx, HANDLE_KIND_DEBUGGER);
    if (context == NULL) {
        return NULL;
    }
    /* Taken under the table's read lock: destroy's removal of the token waits for that lock, so
     * it sees this reference when it counts them. */
    atomic_fetch_add(&context->references, 1);
    optimization_context_leave();
    return context;
}

void debugger_context_release(debugger_context_t* context)
{
    atomic_fetch_sub(&context->references, 1);
}

bool debugger_context_destroy(const char* operation, const module_debugger_context_t* ctx)
{
    debugger_context_t* context = optimization_context_retire(operation, ctx, HANDLE_KIND_DEBUGGER);
    if (context == NULL) {
        return false;
    }
    debugger_event_queue_close(&context->queue);
    while (atomic_load(&context->references) != 0) {
        /* a waiter returning from wait_event, or a set or clear finishing */
        nanosleep(&(struct timespec){.tv_nsec = 100000}, NULL);
    }
    debugger_sites_lock();
    for (unsigned i = 0; i < DEBUGGER_MAX_SITES; i++) {
        debugger_site_t* site = &debugger_sites[i];
        int state = atomic_load(&site->state);
        if (site->owner == context &&
            (state == DEBUGGER_SITE_LIVE || state == DEBUGGER_SITE_ARMING)) {
            debugger_site_clear(site);
        }
    }
    debugger_sites_unlock();
    /* A handler that found one of those sites live before it was retired may still be writing
     * into this queue: wait for every such handler before freeing it. */
    debugger_sites_synchronize();
    pthread_mutex_destroy(&context->stop_lock);
    debugger_event_queue_destroy(&context->queue);
    handler_memory_free(context, sizeof(*context));
    return true;
}

void debugger_context_set_stop(debugger_context_t* context, const debug_event_t* event,
                               const debugger_registers_t* registers)
{
    pthread_mutex_lock(&context->stop_lock);
    context->has_stop = true;
    context->last_event = *event;
    context->last_registers = *registers;
    pthread_mutex_unlock(&context->stop_lock);
}

bool debugger_context_get_stop(debugger_context_t* context, debugger_registers_t* registers)
{
    pthread_mutex_lock(&context->stop_lock);
    bool has_stop = context->has_stop;
    if (has_stop) {
        *registers = context->last_registers;
    }
    pthread_mutex_unlock(&context->stop_lock);
    return has_stop;
}

/* debugger_site.h: a hit goes into the queue of the context that set the site. */
void debugger_site_record_hit(debugger_site_t* site, const debug_event_t* event,
                              const void* ucontext)
{
    atomic_fetch_add(&site->hits, 1);
    debug_event_t full = *event;
    full.address = site->address;
    full.thread_id = (uint64_t)syscall(SYS_gettid);
    debugger_event_queue_push(&site->owner->queue, &full, ucontext);
}
