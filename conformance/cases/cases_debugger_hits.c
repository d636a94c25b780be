/*
 * cases_debugger_hits.c — hit counts under concurrent hits (SPEC 14.7, coremod): two threads call
 * a breakpointed function 100 000 times each; every call returns its right result and the hit
 * count is exactly 200 000 — for software breakpoints on every target of debug_targets.h (plain
 * and PC-relative first instructions) and for a hardware breakpoint. The queue fills long before
 * that: counts must not depend on it.
 */
#include <pthread.h>

#include "conformance.h"
#include "debug_targets.h"
#include "debugger_support.h"

#define HIT_THREADS 2
#define HIT_CALLS_PER_THREAD 100000
/* A hit costs a trap and a signal (tens of µs natively, more under emulation or sanitizers). */
#define HIT_CASE_TIMEOUT_S 240.0

typedef struct {
    const debug_target_t* target;
    int first_wrong_x; /* valid when wrong > 0 */
    int first_wrong_got;
    long wrong;
} hit_worker_t;

static void* hammer(void* arg)
{
    hit_worker_t* worker = arg;
    for (int i = 0; i < HIT_CALLS_PER_THREAD; i++) {
        int x = (i % 5 == 0) ? 0 : i;
        int got = worker->target->call(x);
        if (got != worker->target->expected(x) && worker->wrong++ == 0) {
            worker->first_wrong_x = x;
            worker->first_wrong_got = got;
        }
    }
    return NULL;
}

static void hits_on(const debug_target_t* target, debug_breakpoint_type_t type)
{
    module_debugger_context_t* ctx = case_debugger_new();
    if (type == DEBUG_BREAKPOINT_HARDWARE) {
        debugger_require_hardware(ctx, false);
    }
    debugger_set_breakpoint_or_end(ctx, target->address, type, target->name);
    hit_worker_t workers[HIT_THREADS];
    pthread_t threads[HIT_THREADS];
    case_step("%d threads x %d calls of %s under a %s breakpoint", HIT_THREADS,
              HIT_CALLS_PER_THREAD, target->name,
              type == DEBUG_BREAKPOINT_HARDWARE ? "hardware" : "software");
    for (int t = 0; t < HIT_THREADS; t++) {
        workers[t] = (hit_worker_t){target, 0, 0, 0};
        cr_assert(pthread_create(&threads[t], NULL, hammer, &workers[t]) == 0,
                  HARNESS_FAULT_PREFIX "pthread_create failed");
    }
    for (int t = 0; t < HIT_THREADS; t++) {
        cr_assert(thread_join_within(threads[t], HIT_CASE_TIMEOUT_S - 20.0, NULL),
                  "%d calls of %s under a breakpoint did not finish in %.0f s",
                  HIT_CALLS_PER_THREAD, target->name, HIT_CASE_TIMEOUT_S - 20.0);
    }
    for (int t = 0; t < HIT_THREADS; t++) {
        cr_assert(workers[t].wrong == 0,
                  "%ld of %d calls of %s in thread %d returned wrong results under the "
                  "breakpoint, the first %d for %d (expected %d) (SPEC 14.4, 14.7)",
                  workers[t].wrong, HIT_CALLS_PER_THREAD, target->name, t,
                  workers[t].first_wrong_got, workers[t].first_wrong_x,
                  target->expected(workers[t].first_wrong_x));
    }
    uint64_t hits = debugger_hits(ctx, target->address, target->name);
    cr_assert(hits == (uint64_t)HIT_THREADS * HIT_CALLS_PER_THREAD,
              "the breakpoint on %s counted %lu hits for %d calls (%d threads x %d): every "
              "execution of the address is one hit, counted even when the queue is full "
              "(SPEC 14.7)",
              target->name, (unsigned long)hits, HIT_THREADS * HIT_CALLS_PER_THREAD, HIT_THREADS,
              HIT_CALLS_PER_THREAD);
    debug_event_t event = debugger_expect_event(ctx, 0, "the first of the hits");
    cr_assert(event.sequence == 1 && event.address == target->address,
              "the oldest queued event has sequence %lu and address %#lx; expected 1 and %#lx "
              "(SPEC 14.6)",
              (unsigned long)event.sequence, (unsigned long)event.address,
              (unsigned long)target->address);
    CAND(module_debugger_destroy)(ctx);
}

CONFORMANCE_CASE_TIMEOUT(debugger_hits, DEBUG_HIT_001, "14.7",
                         "2 threads x 100k calls under a software breakpoint on a plain function: "
                         "right results, exactly 200000 hits",
                         HIT_CASE_TIMEOUT_S)
{
    debugger_require_all();
    const debug_target_t* targets = NULL;
    debug_targets(&targets);
    hits_on(&targets[0], DEBUG_BREAKPOINT_SOFTWARE);
}

CONFORMANCE_CASE_TIMEOUT(debugger_hits, DEBUG_HIT_002, "14.7",
                         "2 threads x 100k calls under a software breakpoint on each PC-relative "
                         "first instruction: right results, exactly 200000 hits each",
                         HIT_CASE_TIMEOUT_S * 2)
{
    debugger_require_all();
    const debug_target_t* targets = NULL;
    size_t count = debug_targets(&targets);
    if (count < 2) {
        conformance_not_supported("the suite has no PC-relative targets for this architecture");
    }
    for (size_t i = 1; i < count; i++) {
        hits_on(&targets[i], DEBUG_BREAKPOINT_SOFTWARE);
    }
}

CONFORMANCE_CASE_TIMEOUT(debugger_hits, DEBUG_HIT_003, "14.7",
                         "2 threads x 100k calls under a hardware breakpoint: right results, "
                         "exactly 200000 hits",
                         HIT_CASE_TIMEOUT_S)
{
    debugger_require_all();
    const debug_target_t* targets = NULL;
    debug_targets(&targets);
    hits_on(&targets[0], DEBUG_BREAKPOINT_HARDWARE);
}
