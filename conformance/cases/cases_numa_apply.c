/*
 * cases_numa_apply.c — releasing and applying placements (SPEC 12.9, 12.10, coremod additions
 * declared in numa_optimization.h), the live-placement limit (12.11) and concurrent placements on
 * one context (12.12).
 */
#include <pthread.h>
#include <sched.h>

#include "conformance.h"
#include "numa_model.h"
#include "optimization_contexts.h"
#include "topology_replay.h"

static module_placement_result_t place(numa_optimization_context_t* ctx, module_type_t type,
                                       uint32_t priority, uint32_t memory_kb, uint32_t utilization)
{
    module_placement_request_t request = {type, priority, memory_kb, utilization};
    module_placement_result_t result;
    cr_assert(CAND(numa_place_module)(ctx, &request, &result), "numa_place_module failed: %s",
              error_name(CAND(module_get_last_error)()));
    return result;
}

CONFORMANCE_CASE(numa_release, NUMA_REL_001, "12.9",
                 "a released placement gives its load back; releasing it again, a made-up one or "
                 "one of another context fails")
{
    numa_optimization_context_t* ctx = case_numa_new();
    numa_optimization_context_t* other = case_numa_new();
    /* a on the idlest core (100%), b on the next (50%): only a real release of a sends the next
     * 100% module back to a's core rather than to b's. */
    module_placement_result_t a = place(ctx, MODULE_TYPE_COMPUTE_INTENSIVE, 40, 0, 100);
    module_placement_result_t b = place(ctx, MODULE_TYPE_COMPUTE_INTENSIVE, 40, 0, 50);
    capture_start();
    cr_assert(CAND(numa_release_placement)(ctx, &a), "releasing a live placement failed: %s",
              error_name(CAND(module_get_last_error)()));
    expect_success("numa_release_placement");
    module_placement_result_t c = place(ctx, MODULE_TYPE_COMPUTE_INTENSIVE, 40, 0, 100);
    cr_assert(c.assigned_core_id == a.assigned_core_id,
              "after releasing the placement on core %u the same request went to core %u: the load "
              "was not given back",
              a.assigned_core_id, c.assigned_core_id);
    cr_assert(CAND(numa_release_placement)(ctx, &c),
              "numa_release_placement of a live placement returned false with %s; expected true",
              error_name(CAND(module_get_last_error)()));
    cr_assert(!CAND(numa_release_placement)(ctx, &c), "a placement was released twice");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                   "numa_release_placement of a released placement");
    module_placement_result_t made_up = b;
    made_up.load_balancing_score = 0.123f;
    cr_assert(!CAND(numa_release_placement)(ctx, &made_up), "a result never returned was released");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER, "numa_release_placement of a made-up result");
    cr_assert(!CAND(numa_release_placement)(other, &b),
              "another context released this context's placement");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER, "numa_release_placement in another context");
    cr_assert(!CAND(numa_release_placement)(ctx, NULL), "NULL was released");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER, "numa_release_placement(ctx, NULL)");
    cr_assert(CAND(numa_release_placement)(ctx, &b),
              "the remaining placement could not be released");
    CAND(numa_optimization_destroy)(other);
    CAND(numa_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(numa_release, NUMA_REL_002, "12.9",
                 "of several live placements with equal results the most recent is released (its "
                 "memory given back)")
{
    const topology_machine_t* machine = topology_machine("linux-amd-opteron-8node");
    topology_replay_require(machine);
    numa_optimization_context_t* ctx = case_numa_new();
    module_placement_result_t first = place(ctx, MODULE_TYPE_MEMORY_INTENSIVE, 50, 5000, 0);
    cr_assert(first.numa_domain == 0 && first.assigned_core_id == 0,
              "first memory module: node %u core %u, expected 0/0", first.numa_domain,
              first.assigned_core_id);
    for (uint32_t node = 1; node < 8; node++) {
        place(ctx, MODULE_TYPE_MEMORY_INTENSIVE, 50, 1000, 0);
    }
    module_placement_result_t same = place(ctx, MODULE_TYPE_COMPUTE_INTENSIVE, 80, 100, 0);
    if (!(same.assigned_core_id == first.assigned_core_id &&
          same.numa_domain == first.numa_domain &&
          same.load_balancing_score == first.load_balancing_score &&
          same.core_type == first.core_type)) {
        /* The set-up relies on the reference's placement policy (SPEC 12), which a candidate may
         * not share; without two equal placements there is nothing for this case to tell apart. */
        conformance_not_supported(
            "the candidate's placements differ (node %u core %u, then node %u "
            "core %u), so the case cannot make two placements with equal "
            "results",
            first.numa_domain, first.assigned_core_id, same.numa_domain, same.assigned_core_id);
    }
    cr_assert(CAND(numa_release_placement)(ctx, &same),
              "numa_release_placement of a live placement returned false with %s; expected true",
              error_name(CAND(module_get_last_error)()));
    /* Node 0 holds 5000 KB again (not 100): the next memory module goes to node 1. */
    module_placement_result_t next = place(ctx, MODULE_TYPE_MEMORY_INTENSIVE, 50, 0, 0);
    cr_assert(next.numa_domain == 1,
              "the next memory module went to node %u: the older placement (5000 KB) was released "
              "instead of the most recent (100 KB)",
              next.numa_domain);
    CAND(numa_optimization_destroy)(ctx);
}

#if defined(__linux__)
static bool affinity_of(pthread_t thread, cpu_set_t* set)
{
    CPU_ZERO(set);
    return pthread_getaffinity_np(thread, sizeof(*set), set) == 0;
}

static void* park(void* barrier)
{
    pthread_barrier_wait(barrier); /* started */
    pthread_barrier_wait(barrier); /* the main thread has applied and checked */
    return NULL;
}
#endif

CONFORMANCE_CASE(
    numa_apply, NUMA_APPLY_001, "12.10",
    "applying a live placement pins the calling thread, and only it, to the assigned core (Linux)")
{
#if defined(__linux__)
    numa_optimization_context_t* ctx = case_numa_new();
    cpu_set_t allowed, bystander_before, now, bystander_after;
    cr_assert(affinity_of(pthread_self(), &allowed), "harness: pthread_getaffinity_np");
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, 2);
    pthread_t bystander;
    cr_assert(pthread_create(&bystander, NULL, park, &barrier) == 0, "harness: pthread_create");
    pthread_barrier_wait(&barrier);
    affinity_of(bystander, &bystander_before);
    module_placement_result_t r = place(ctx, MODULE_TYPE_COMPUTE_INTENSIVE, 80, 0, 50);
    bool ok = CAND(numa_apply_placement)(ctx, &r);
    module_error_t error = CAND(module_get_last_error)();
    affinity_of(pthread_self(), &now);
    affinity_of(bystander, &bystander_after);
    pthread_barrier_wait(&barrier);
    pthread_join(bystander, NULL);
    pthread_barrier_destroy(&barrier);
    if (!CPU_ISSET(r.assigned_core_id, &allowed)) {
        /* The process may not run there (a cpuset): the OS refuses, SYSTEM_ERROR (12.10). */
        cr_assert(!ok && error == MODULE_ERROR_SYSTEM_ERROR,
                  "applying core %u outside the allowed CPUs: %d, %s", r.assigned_core_id, ok,
                  error_name(error));
    } else {
        cr_assert(ok, "numa_apply_placement failed: %s", error_name(error));
        cr_assert(error == MODULE_SUCCESS, "a successful apply left last error %s",
                  error_name(error));
        cr_assert(CPU_COUNT(&now) == 1 && CPU_ISSET(r.assigned_core_id, &now),
                  "after applying core %u the thread may run on %d CPUs", r.assigned_core_id,
                  CPU_COUNT(&now));
    }
    cr_assert(CPU_EQUAL(&bystander_before, &bystander_after),
              "applying changed another thread's affinity");
    sched_setaffinity(0, sizeof(allowed), &allowed);
    CAND(numa_optimization_destroy)(ctx);
#else
    conformance_not_supported("the suite checks thread affinity on Linux only");
#endif
}

CONFORMANCE_CASE(numa_apply, NUMA_APPLY_002, "12.10",
                 "a placement of a context on a recorded machine cannot be applied: SYSTEM_ERROR, "
                 "thread unchanged")
{
    topology_replay_require(topology_machine("macos-m1-pro-monterey"));
    numa_optimization_context_t* ctx = case_numa_new();
    module_placement_result_t r = place(ctx, MODULE_TYPE_COMPUTE_INTENSIVE, 80, 0, 50);
#if defined(__linux__)
    cpu_set_t before, after;
    sched_getaffinity(0, sizeof(before), &before);
#endif
    capture_start();
    cr_assert(!CAND(numa_apply_placement)(ctx, &r),
              "a recorded machine's placement was applied to this machine's thread");
    const char* message =
        expect_failure(MODULE_ERROR_SYSTEM_ERROR, "numa_apply_placement under replay");
    cr_assert(message != NULL && message[0] != '\0',
              "the failed numa_apply_placement gave no callback message (or an empty one); "
              "expected one naming the cause");
#if defined(__linux__)
    sched_getaffinity(0, sizeof(after), &after);
    cr_assert(CPU_EQUAL(&before, &after), "the failed apply changed the thread's affinity");
#endif
    CAND(numa_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(numa_apply, NUMA_APPLY_003, "12.10",
                 "applying a released, made-up or NULL placement fails with INVALID_PARAMETER")
{
    numa_optimization_context_t* ctx = case_numa_new();
    module_placement_result_t r = place(ctx, MODULE_TYPE_BACKGROUND, 10, 0, 50);
    cr_assert(CAND(numa_release_placement)(ctx, &r),
              "numa_release_placement of a live placement returned false with %s; expected true",
              error_name(CAND(module_get_last_error)()));
    capture_start();
    cr_assert(!CAND(numa_apply_placement)(ctx, &r), "a released placement was applied");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER, "numa_apply_placement of a released placement");
    module_placement_result_t made_up = {0, CORE_TYPE_PERFORMANCE, 0, 0.5f};
    cr_assert(!CAND(numa_apply_placement)(ctx, &made_up), "a made-up placement was applied");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER, "numa_apply_placement of a made-up placement");
    cr_assert(!CAND(numa_apply_placement)(ctx, NULL), "NULL was applied");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER, "numa_apply_placement(ctx, NULL)");
    CAND(numa_optimization_destroy)(ctx);
}

CONFORMANCE_CASE_TIMEOUT(numa_limit, NUMA_LIMIT_001, "12.11",
                         "a context holds 65536 live placements; one more fails with "
                         "RESOURCE_EXHAUSTED until one is released",
                         60.0)
{
    numa_optimization_context_t* ctx = case_numa_new();
    module_placement_request_t request = {MODULE_TYPE_BACKGROUND, 10, 1, 0};
    module_placement_result_t result, last;
    for (uint32_t i = 0; i < 65536; i++) {
        if (!CAND(numa_place_module)(ctx, &request, &result)) {
            conformance_fail("placement %u of 65536 failed: %s", i,
                             error_name(CAND(module_get_last_error)()));
        }
        last = result;
    }
    capture_start();
    cr_assert(!CAND(numa_place_module)(ctx, &request, &result), "placement 65537 succeeded");
    expect_failure(MODULE_ERROR_RESOURCE_EXHAUSTED, "placement 65537");
    cr_assert(CAND(numa_release_placement)(ctx, &last),
              "numa_release_placement of a live placement returned false with %s; expected true",
              error_name(CAND(module_get_last_error)()));
    cr_assert(CAND(numa_place_module)(ctx, &request, &result),
              "after a release the next placement failed: %s",
              error_name(CAND(module_get_last_error)()));
    CAND(numa_optimization_destroy)(ctx);
}

typedef struct {
    numa_optimization_context_t* ctx;
    int failures;
} churn_worker_t;

static void* churn(void* opaque)
{
    churn_worker_t* w = opaque;
    for (uint32_t i = 0; i < 500; i++) {
        module_placement_request_t request = {(module_type_t)(i % 4), i % 101, i * 10,
                                              (i * 7) % 101};
        module_placement_result_t result;
        if (!conformance_candidate.numa_place_module(w->ctx, &request, &result) ||
            !conformance_candidate.numa_release_placement(w->ctx, &result)) {
            w->failures++;
        }
    }
    return NULL;
}

CONFORMANCE_CASE(
    numa_conc, NUMA_CONC_001, "12.12",
    "4 threads placing and releasing on one context: all succeed and the loads end at zero")
{
    optimization_require_all();
    numa_optimization_context_t* ctx = case_numa_new();
    numa_topology_info_t info;
    cr_assert(CAND(numa_get_topology_info)(ctx, &info),
              "numa_get_topology_info of a live context returned false with %s; expected true",
              error_name(CAND(module_get_last_error)()));
    churn_worker_t workers[4];
    pthread_t threads[4];
    for (int t = 0; t < 4; t++) {
        workers[t] = (churn_worker_t){ctx, 0};
        cr_assert(pthread_create(&threads[t], NULL, churn, &workers[t]) == 0,
                  "harness: pthread_create");
    }
    for (int t = 0; t < 4; t++) {
        pthread_join(threads[t], NULL);
        cr_assert(workers[t].failures == 0, "thread %d: %d of 500 place/release pairs failed", t,
                  workers[t].failures);
    }
    /* Every load is 0 again: one 50% module on any core gives mean/max = 1/total (12.8). */
    module_placement_result_t r = place(ctx, MODULE_TYPE_COMPUTE_INTENSIVE, 0, 0, 50);
    float want = (float)(1.0 / (double)info.total_cores);
    cr_assert(
        r.load_balancing_score - want < 1e-6f && want - r.load_balancing_score < 1e-6f,
        "after every release the score of one module is %g, expected %g: load was lost or kept",
        (double)r.load_balancing_score, (double)want);
    CAND(numa_optimization_destroy)(ctx);
}
