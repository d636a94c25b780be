/*
 * cases_debugger_events.c — events (SPEC 14.6, coremod): hits from several threads each queue
 * one event with the breakpoint's address as pc and the hitting thread's id, in sequence;
 * waiting for an event that does not come fails with RESOURCE_EXHAUSTED after the timeout.
 */
#include <pthread.h>
#include <time.h>

#include "conformance.h"
#include "debug_targets.h"
#include "debugger_support.h"

#define EVENT_THREADS 3
#define EVENT_CALLS_PER_THREAD 5

typedef struct {
    const debug_target_t* target;
    pid_t tid;
    int wrong; /* calls that returned a wrong result */
} event_worker_t;

static void* call_target(void* arg)
{
    event_worker_t* worker = arg;
    worker->tid = thread_probe_self();
    for (int i = 0; i < EVENT_CALLS_PER_THREAD; i++) {
        int x = (int)worker->tid + i;
        if (worker->target->call(x) != worker->target->expected(x)) {
            worker->wrong++;
        }
    }
    return NULL;
}

/* EVENT_THREADS threads call the plain target EVENT_CALLS_PER_THREAD times each, one after
 * another (joined in turn), so each thread's events are known to be its own. */
static void events_from_threads(debug_breakpoint_type_t type)
{
    debugger_require_all();
    const debug_target_t* targets = NULL;
    debug_targets(&targets);
    const debug_target_t* plain = &targets[0];
    module_debugger_context_t* ctx = case_debugger_new();
    if (type == DEBUG_BREAKPOINT_HARDWARE) {
        debugger_require_hardware(ctx, false);
    }
    debugger_set_breakpoint_or_end(ctx, plain->address, type, plain->name);
    event_worker_t workers[EVENT_THREADS];
    uint64_t last_sequence = 0;
    for (int t = 0; t < EVENT_THREADS; t++) {
        workers[t] = (event_worker_t){plain, 0, 0};
        pthread_t thread;
        cr_assert(pthread_create(&thread, NULL, call_target, &workers[t]) == 0,
                  HARNESS_FAULT_PREFIX "pthread_create failed");
        cr_assert(thread_join_within(thread, 10.0, NULL),
                  "a thread calling a function under a breakpoint did not finish within 10 s: the "
                  "breakpoint stopped it (SPEC 14.4: non-stop)");
        cr_assert(workers[t].wrong == 0, "%d calls of %s in thread %d returned wrong results",
                  workers[t].wrong, plain->name, (int)workers[t].tid);
        for (int i = 0; i < EVENT_CALLS_PER_THREAD; i++) {
            debug_event_t event = debugger_expect_event(
                ctx, 1000,
                case_strf("call %d of %s in thread %d", i, plain->name, (int)workers[t].tid));
            cr_assert(event.type == DEBUG_EVENT_BREAKPOINT,
                      "the event of a breakpoint hit has type %s, expected BREAKPOINT (SPEC 14.6)",
                      debugger_event_type_name(event.type));
            cr_assert(event.address == plain->address && event.pc == plain->address,
                      "the event of a hit at %#lx has address %#lx and pc %#lx; both must be the "
                      "breakpoint's address (SPEC 14.6)",
                      (unsigned long)plain->address, (unsigned long)event.address,
                      (unsigned long)event.pc);
            cr_assert(event.thread_id == (uint64_t)workers[t].tid,
                      "the event of call %d by thread %d carries thread_id %lu; it must be the "
                      "hitting thread's gettid() (SPEC 14.6)",
                      i, (int)workers[t].tid, (unsigned long)event.thread_id);
            cr_assert(event.sequence == last_sequence + 1,
                      "event sequence numbers go %lu then %lu; expected 1, 2, 3, ... (SPEC 14.6)",
                      (unsigned long)last_sequence, (unsigned long)event.sequence);
            cr_assert(event.dropped_before == 0,
                      "event %lu says %lu events were dropped before it; the queue never held "
                      "more than %d (SPEC 14.6)",
                      (unsigned long)event.sequence, (unsigned long)event.dropped_before,
                      EVENT_CALLS_PER_THREAD);
            last_sequence = event.sequence;
        }
        debugger_expect_no_event(
            ctx, 0,
            case_strf("thread %d after its %d calls", (int)workers[t].tid, EVENT_CALLS_PER_THREAD));
    }
    CAND(module_debugger_destroy)(ctx);
}

CONFORMANCE_CASE(debugger_event, DEBUG_EVT_001, "14.6",
                 "software breakpoint hits from three threads: one event per hit with the "
                 "address, pc and the hitting thread's id, in sequence")
{
    events_from_threads(DEBUG_BREAKPOINT_SOFTWARE);
}

CONFORMANCE_CASE(debugger_event, DEBUG_EVT_002, "14.6",
                 "hardware breakpoint hits from three threads: one event per hit with the "
                 "address, pc and the hitting thread's id, in sequence")
{
    events_from_threads(DEBUG_BREAKPOINT_HARDWARE);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

CONFORMANCE_CASE(debugger_event, DEBUG_EVT_003, "14.6",
                 "wait_event with no event fails with RESOURCE_EXHAUSTED, at once for 0 and after "
                 "about the timeout otherwise")
{
    debugger_require_all();
    module_debugger_context_t* ctx = case_debugger_new();
    debug_event_t event;
    capture_start();
    double start = now_s();
    cr_assert(!CAND(module_debugger_wait_event)(ctx, &event, 0),
              "module_debugger_wait_event(ctx, &event, 0) with nothing set returned true");
    const char* message = expect_failure(MODULE_ERROR_RESOURCE_EXHAUSTED,
                                         "module_debugger_wait_event with no event (SPEC 14.6)");
    expect_message_contains(message, "no event", "module_debugger_wait_event (SPEC 14.6)");
    double looked = now_s() - start;
    start = now_s();
    cr_assert(!CAND(module_debugger_wait_event)(ctx, &event, 200),
              "module_debugger_wait_event(ctx, &event, 200) with nothing set returned true");
    double waited = now_s() - start;
    expect_failure(MODULE_ERROR_RESOURCE_EXHAUSTED,
                   "module_debugger_wait_event with no event, 200 ms (SPEC 14.6)");
    capture_stop();
    cr_assert(looked < 0.1,
              "module_debugger_wait_event(..., 0) took %.3f s; 0 only looks "
              "(SPEC 14.6)",
              looked);
    cr_assert(waited >= 0.19 && waited < 5.0,
              "module_debugger_wait_event(..., 200) gave up after %.3f s; expected about 0.2 s "
              "(SPEC 14.6)",
              waited);
    CAND(module_debugger_destroy)(ctx);
}
