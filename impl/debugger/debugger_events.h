/*
 * debugger_events.h — a context's bounded event queue (SPEC 14): written by signal handlers on
 * any thread, read by module_debugger_wait_event.
 *
 * Producers never lock and never allocate (they run in signal handlers, possibly interrupting a
 * thread that holds any lock): each slot carries a sequence number, and a producer claims the
 * next slot with one compare-and-swap on the tail (a bounded multi-producer multi-consumer ring).
 * A full queue drops the event and counts it into the next queued event's dropped_before. Each
 * queued event posts a semaphore (sem_post is async-signal-safe); a waiter sleeps on it with a
 * deadline.
 */
#ifndef COREMOD_DEBUGGER_EVENTS_H
#define COREMOD_DEBUGGER_EVENTS_H

#include <semaphore.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "debugger_state.h"
#include "module_debugger.h"

/* Slots per context: a power of two. */
#define DEBUGGER_EVENT_QUEUE_SLOTS 1024u

typedef struct {
    _Atomic uint64_t turn; /* ring protocol: position + 1 when full, position + SLOTS when free */
    debug_event_t event;
    debugger_registers_t registers;
} debugger_event_slot_t;

typedef struct {
    debugger_event_slot_t* slots; /* DEBUGGER_EVENT_QUEUE_SLOTS, allocated at init */
    _Atomic uint64_t tail;        /* next position to write; position + 1 is the event's sequence */
    _Atomic uint64_t head;        /* next position to read */
    _Atomic uint64_t dropped;     /* events lost since the last queued one */
    _Atomic bool closing;         /* the context is being destroyed: waiters leave */
    sem_t available;              /* one post per queued event (and one per wake-up at close) */
} debugger_event_queue_t;

/* Normal context. false when memory or the semaphore cannot be had. */
bool debugger_event_queue_init(debugger_event_queue_t* queue);
void debugger_event_queue_destroy(debugger_event_queue_t* queue);

/* Async-signal-safe: queues `event` (its sequence and dropped_before are filled here) with the
 * registers of `ucontext` (NULL: zeros), or counts it as dropped when the queue is full. */
void debugger_event_queue_push(debugger_event_queue_t* queue, const debug_event_t* event,
                               const void* ucontext);

typedef enum {
    DEBUGGER_EVENT_TAKEN = 0,
    DEBUGGER_EVENT_TIMEOUT = 1,
    DEBUGGER_EVENT_CLOSING = 2,
} debugger_event_wait_t;

/* Normal context: takes the oldest event, waiting up to `timeout_ms` for one. */
debugger_event_wait_t debugger_event_queue_pop(debugger_event_queue_t* queue, debug_event_t* event,
                                               debugger_registers_t* registers,
                                               uint32_t timeout_ms);

/* Wakes every waiter for good (destroy): they return DEBUGGER_EVENT_CLOSING. */
void debugger_event_queue_close(debugger_event_queue_t* queue);

#endif /* COREMOD_DEBUGGER_EVENTS_H */
