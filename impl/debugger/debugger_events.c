/* debugger_events.c — see debugger_events.h. */
#include "debugger_events.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "debugger_handler_memory.h"

#define QUEUE_BYTES (DEBUGGER_EVENT_QUEUE_SLOTS * sizeof(debugger_event_slot_t))
#define SLOT_MASK ((uint64_t)DEBUGGER_EVENT_QUEUE_SLOTS - 1u)
_Static_assert((DEBUGGER_EVENT_QUEUE_SLOTS & (DEBUGGER_EVENT_QUEUE_SLOTS - 1u)) == 0,
               "the queue's slot count must be a power of two");

bool debugger_event_queue_init(debugger_event_queue_t* queue)
{
    queue->slots = handler_memory_alloc(QUEUE_BYTES);
    if (queue->slots == NULL) {
        return false;
    }
    /* Slot i starts free for position i: a producer at position p may write when turn == p. */
    for (uint64_t i = 0; i < DEBUGGER_EVENT_QUEUE_SLOTS; i++) {
        atomic_init(&queue->slots[i].turn, i);
    }
    atomic_init(&queue->tail, 0);
    atomic_init(&queue->head, 0);
    atomic_init(&queue->dropped, 0);
    atomic_init(&queue->closing, false);
    if (sem_init(&queue->available, 0, 0) != 0) {
        handler_memory_free(queue->slots, QUEUE_BYTES);
        queue->slots = NULL;
        return false;
    }
    return true;
}

void debugger_event_queue_destroy(debugger_event_queue_t* queue)
{
    sem_destroy(&queue->available);
    handler_memory_free(queue->slots, QUEUE_BYTES);
    queue->slots = NULL;
}

void debugger_event_queue_push(debugger_event_queue_t* queue, const debug_event_t* event,
                               const void* ucontext)
{
    uint64_t position = atomic_load(&queue->tail);
    debugger_event_slot_t* slot;
    for (;;) {
        slot = &queue->slots[position & SLOT_MASK];
        uint64_t turn = atomic_load_explicit(&slot->turn, memory_order_acquire);
        if (turn == position) {
            if (atomic_compare_exchange_weak(&queue->tail, &position, position + 1)) {
                break;
            }
            /* position now holds the current tail: try again there */
        } else if (turn < position) {
            /* The slot still holds the event of the previous lap: the queue is full. */
            atomic_fetch_add(&queue->dropped, 1);
            return;
        } else {
            position = atomic_load(&queue->tail);
        }
    }
    slot->event = *event;
    slot->event.sequence = position + 1;
    slot->event.dropped_before = atomic_exchange(&queue->dropped, 0);
    if (ucontext != NULL) {
        debugger_registers_capture(&slot->registers, ucontext);
    } else {
        memset(&slot->registers, 0, sizeof(slot->registers));
    }
    atomic_store_explicit(&slot->turn, position + 1, memory_order_release);
    sem_post(&queue->available);
}

static void deadline_after(struct timespec* deadline, uint32_t timeout_ms)
{
    clock_gettime(CLOCK_MONOTONIC, deadline);
    deadline->tv_sec += timeout_ms / 1000u;
    deadline->tv_nsec += (long)(timeout_ms % 1000u) * 1000000L;
    if (deadline->tv_nsec >= 1000000000L) {
        deadline->tv_sec += 1;
        deadline->tv_nsec -= 1000000000L;
    }
}

/* One token of the semaphore: true when taken within the time. A signal handler that runs on
 * this thread (our own SIGTRAP, say) interrupts the wait: wait again until the same deadline. */
static bool take_token(sem_t* available, uint32_t timeout_ms)
{
    if (timeout_ms == 0) {
        while (sem_trywait(available) != 0) {
            if (errno != EINTR) {
                return false;
            }
        }
        return true;
    }
    struct timespec deadline;
    deadline_after(&deadline, timeout_ms);
    while (sem_clockwait(available, CLOCK_MONOTONIC, &deadline) != 0) {
        if (errno != EINTR) {
            return false;
        }
    }
    return true;
}

debugger_event_wait_t debugger_event_queue_pop(debugger_event_queue_t* queue, debug_event_t* event,
                                               debugger_registers_t* registers, uint32_t timeout_ms)
{
    if (atomic_load(&queue->closing)) {
        return DEBUGGER_EVENT_CLOSING;
    }
    if (!take_token(&queue->available, timeout_ms)) {
        return DEBUGGER_EVENT_TIMEOUT;
    }
    if (atomic_load(&queue->closing)) {
        sem_post(&queue->available); /* the next waiter leaves too */
        return DEBUGGER_EVENT_CLOSING;
    }
    /* A token is posted only after its slot is complete, and each token is taken once, so a
     * complete event is waiting for this reader: claim the head position that holds it. */
    uint64_t position = atomic_load(&queue->head);
    debugger_event_slot_t* slot;
    for (;;) {
        slot = &queue->slots[position & SLOT_MASK];
        uint64_t turn = atomic_load_explicit(&slot->turn, memory_order_acquire);
        if (turn == position + 1) {
            if (atomic_compare_exchange_weak(&queue->head, &position, position + 1)) {
                break;
            }
        } else {
            /* Another reader took this one, or the producer of this position (claimed before
             * the one whose token we hold) has not finished writing: look again. */
            position = atomic_load(&queue->head);
        }
    }
    *event = slot->event;
    *registers = slot->registers;
    atomic_store_explicit(&slot->turn, position + DEBUGGER_EVENT_QUEUE_SLOTS, memory_order_release);
    return DEBUGGER_EVENT_TAKEN;
}

void debugger_event_queue_close(debugger_event_queue_t* queue)
{
    atomic_store(&queue->closing, true);
    sem_post(&queue->available);
}
