/*
 * cases_numa.c — the NUMA Placement API (SPEC 12): contexts (10.1–10.3), the topology view
 * (12.2), requests (12.3) and the placement policy (12.4–12.8), checked placement by placement
 * against the suite's model of the policy (numa_model.h) on recorded machines with P and E cores
 * and several NUMA nodes (needs replay, 13.2), and for spreading on the live machine.
 */
#include <stdio.h>
#include <stdlib.h>

#include "conformance.h"
#include "numa_model.h"
#include "optimization_contexts.h"
#include "topology_replay.h"

static module_placement_result_t place(numa_optimization_context_t* ctx, module_type_t type,
                                       uint32_t priority, uint32_t memory_kb, uint32_t utilization)
{
    module_placement_request_t request = {type, priority, memory_kb, utilization};
    module_placement_result_t result;
    memset(&result, 0x3C, sizeof(result));
    cr_assert(CAND(numa_place_module)(ctx, &request, &result),
              "numa_place_module(type %d, priority %u, memory %u, utilization %u) failed: %s",
              (int)type, priority, memory_kb, utilization,
              error_name(CAND(module_get_last_error)()));
    return result;
}

/* Places on the candidate and the model and compares; returns the candidate's result. */
static module_placement_result_t place_both(numa_optimization_context_t* ctx, numa_model_t* model,
                                            module_type_t type, uint32_t priority,
                                            uint32_t memory_kb, uint32_t utilization,
                                            const char* what)
{
    module_placement_result_t got = place(ctx, type, priority, memory_kb, utilization);
    module_placement_request_t request = {type, priority, memory_kb, utilization};
    module_placement_result_t want = numa_model_place(model, &request);
    numa_expect_result(&got, &want, case_strf("%s: %s", model->machine->name, what));
    return got;
}

static numa_optimization_context_t* on_machine(const char* name, numa_model_t* model)
{
    const topology_machine_t* machine = topology_machine(name);
    topology_replay_require(machine);
    numa_model_init(model, machine);
    return case_numa_new();
}

CONFORMANCE_CASE(numa_ctx, NUMA_CTX_001, "12.13",
                 "numa_optimization_create gives distinct live contexts, each with its own "
                 "account; destroy(NULL) does nothing")
{
    capture_start();
    CAND(module_load)(NULL, "x.so"); /* a failure first: create must reset it (10.2) */
    capture_take(NULL);
    numa_optimization_context_t* a = case_numa_new();
    expect_success("numa_optimization_create after a failing call (SPEC 10.2)");
    capture_stop();
    numa_optimization_context_t* b = case_numa_new();
    cr_assert(a != b, "two live contexts have the same value");
    module_placement_result_t first = place(a, MODULE_TYPE_COMPUTE_INTENSIVE, 80, 0, 100);
    module_placement_result_t other = place(b, MODULE_TYPE_COMPUTE_INTENSIVE, 80, 0, 100);
    cr_assert(first.assigned_core_id == other.assigned_core_id &&
                  first.load_balancing_score == other.load_balancing_score,
              "a fresh context's first placement (core %u) differs from another fresh context's "
              "(core %u): "
              "contexts share their account",
              other.assigned_core_id, first.assigned_core_id);
    capture_start();
    CAND(module_load)(NULL, "x.so");
    capture_take(NULL);
    CAND(numa_optimization_destroy)(NULL);
    expect_last_error(MODULE_ERROR_INVALID_PARAMETER,
                      "numa_optimization_destroy(NULL) (must not touch the last error)");
    cr_assert(capture_take(NULL) == 0, "numa_optimization_destroy(NULL) called the error callback");
    CAND(numa_optimization_destroy)(a); /* with a live placement: freed with it (12.1) */
    expect_success("numa_optimization_destroy");
    CAND(numa_optimization_destroy)(b);
}

CONFORMANCE_CASE(numa_ctx, NUMA_CTX_002, "10.1",
                 "the NUMA functions return false for a NULL context, topology, request or result")
{
    numa_topology_info_t info;
    module_placement_request_t request = {MODULE_TYPE_COMPUTE_INTENSIVE, 80, 512, 75};
    module_placement_result_t result;
    cr_assert(!CAND(numa_get_topology_info)(NULL, &info),
              "numa_get_topology_info(NULL, &info) "
              "returned true; expected false (SPEC 10.1)");
    cr_assert(!CAND(numa_place_module)(NULL, &request, &result),
              "numa_place_module(NULL context, "
              "...) returned true; expected false (SPEC 10.1)");
    numa_optimization_context_t* ctx = CAND(numa_optimization_create)();
    if (ctx == NULL) {
        conformance_not_supported("numa_optimization_create returned NULL (allowed: SPEC 10.1), "
                                  "so no live context can be given NULL pointers");
    }
    cr_assert(!CAND(numa_get_topology_info)(ctx, NULL),
              "numa_get_topology_info(ctx, NULL) "
              "returned true; expected false (SPEC 10.1)");
    cr_assert(!CAND(numa_place_module)(ctx, NULL, &result),
              "numa_place_module(ctx, NULL request, "
              "&result) returned true; expected false (SPEC 10.1)");
    cr_assert(!CAND(numa_place_module)(ctx, &request, NULL),
              "numa_place_module(ctx, &request, "
              "NULL result) returned true; expected false (SPEC 10.1)");
    CAND(numa_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(numa_ctx, NUMA_CTX_003, "10.14",
                 "values that are not live NUMA contexts fail with INVALID_PARAMETER in every NUMA "
                 "function, unread")
{
    int local = 0x5A5A5A5A;
    bad_context_t bad[BAD_CONTEXT_COUNT];
    bad_contexts(CONTEXT_NUMA, &local, bad);
    module_placement_request_t request = {MODULE_TYPE_COMPUTE_INTENSIVE, 80, 512, 75};
    module_placement_result_t placement = {0, CORE_TYPE_PERFORMANCE, 0, 1.0f};
    capture_start();
    for (size_t i = 0; i < BAD_CONTEXT_COUNT; i++) {
        numa_optimization_context_t* ctx = bad[i].value;
        numa_topology_info_t info, before;
        memset(&info, 0x3C, sizeof(info));
        before = info;
        cr_assert(!CAND(numa_get_topology_info)(ctx, &info),
                  "numa_get_topology_info(%s) returned true", bad[i].what);
        expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                       case_strf("numa_get_topology_info(%s)", bad[i].what));
        cr_assert(memcmp(&info, &before, sizeof(info)) == 0,
                  "numa_get_topology_info(%s) wrote *topology", bad[i].what);
        module_placement_result_t result, result_before;
        memset(&result, 0x3C, sizeof(result));
        result_before = result;
        cr_assert(!CAND(numa_place_module)(ctx, &request, &result),
                  "numa_place_module(%s) returned true", bad[i].what);
        expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                       case_strf("numa_place_module(%s)", bad[i].what));
        cr_assert(memcmp(&result, &result_before, sizeof(result)) == 0,
                  "numa_place_module(%s) wrote *result", bad[i].what);
        cr_assert(!CAND(numa_release_placement)(ctx, &placement),
                  "numa_release_placement(%s) returned true", bad[i].what);
        expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                       case_strf("numa_release_placement(%s)", bad[i].what));
        cr_assert(!CAND(numa_apply_placement)(ctx, &placement),
                  "numa_apply_placement(%s) returned true", bad[i].what);
        expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                       case_strf("numa_apply_placement(%s)", bad[i].what));
        if (ctx != NULL) {
            CAND(numa_optimization_destroy)(ctx);
            expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                           case_strf("numa_optimization_destroy(%s)", bad[i].what));
        }
    }
    apple_silicon_info_t apple;
    cr_assert(CAND(jit_get_apple_silicon_info)(bad[5].value, &apple),
              "numa_optimization_destroy destroyed a JIT context");
}

CONFORMANCE_CASE(numa_info, NUMA_INFO_001, "12.2",
                 "numa_get_topology_info fills a consistent view; NULL is invalid")
{
    numa_optimization_context_t* ctx = case_numa_new();
    capture_start();
    cr_assert(!CAND(numa_get_topology_info)(ctx, NULL),
              "numa_get_topology_info(ctx, NULL) returned true");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER, "numa_get_topology_info(ctx, NULL)");
    numa_topology_info_t info;
    cr_assert(CAND(numa_get_topology_info)(ctx, &info),
              "numa_get_topology_info of a live context returned false with %s; expected true",
              error_name(CAND(module_get_last_error)()));
    expect_success("numa_get_topology_info");
    cr_assert(info.p_core_count + info.e_core_count == info.total_cores && info.total_cores >= 1,
              "P %u + E %u != total %u (SPEC 13.4)", info.p_core_count, info.e_core_count,
              info.total_cores);
    cr_assert(info.has_heterogeneous_cores == (info.e_core_count > 0),
              "has_heterogeneous_cores %d with %u E cores (SPEC 13.4)",
              info.has_heterogeneous_cores, info.e_core_count);
    cr_assert(info.numa_domains >= 1 && info.p_core_count >= 1, "numa_domains %u, P cores %u",
              info.numa_domains, info.p_core_count);
    CAND(numa_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(
    numa_place, NUMA_PLACE_001, "12.3",
    "bad requests fail with INVALID_PARAMETER, leave the result untouched and change nothing")
{
    numa_optimization_context_t* ctx = case_numa_new();
    numa_optimization_context_t* fresh = case_numa_new();
    capture_start();
    module_placement_request_t bad[] = {
        {(module_type_t)4, 50, 0, 50},
        {(module_type_t)-1, 50, 0, 50},
        {(module_type_t)99, 50, 0, 50},
        {MODULE_TYPE_COMPUTE_INTENSIVE, 101, 0, 50},
        {MODULE_TYPE_BACKGROUND, UINT32_MAX, 0, 50},
        {MODULE_TYPE_IO_INTENSIVE, 50, 0, 101},
        {MODULE_TYPE_MEMORY_INTENSIVE, 50, 0, UINT32_MAX},
    };
    module_placement_result_t result, before;
    memset(&result, 0x3C, sizeof(result));
    before = result;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        cr_assert(!CAND(numa_place_module)(ctx, &bad[i], &result),
                  "request %zu (type %d, priority %u, utilization %u) was accepted", i,
                  (int)bad[i].module_type, bad[i].priority, bad[i].cpu_utilization_percent);
        expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                       case_strf("numa_place_module(bad request %zu)", i));
    }
    cr_assert(!CAND(numa_place_module)(ctx, NULL, &result), "a NULL request was accepted");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER, "numa_place_module(ctx, NULL, result)");
    cr_assert(!CAND(numa_place_module)(
                  ctx, &(module_placement_request_t){MODULE_TYPE_BACKGROUND, 0, 0, 0}, NULL),
              "a NULL result was accepted");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER, "numa_place_module(ctx, request, NULL)");
    cr_assert(memcmp(&result, &before, sizeof(result)) == 0, "a failing call wrote *result");
    /* Edge values are valid: priority 100, utilization 100, any memory. */
    module_placement_result_t a = place(ctx, MODULE_TYPE_MEMORY_INTENSIVE, 100, UINT32_MAX, 100);
    module_placement_result_t b = place(fresh, MODULE_TYPE_MEMORY_INTENSIVE, 100, UINT32_MAX, 100);
    expect_success("numa_place_module");
    cr_assert(a.assigned_core_id == b.assigned_core_id &&
                  a.load_balancing_score == b.load_balancing_score,
              "after rejected requests the first placement differs from a fresh context's: they "
              "changed the account");
    CAND(numa_optimization_destroy)(fresh);
    CAND(numa_optimization_destroy)(ctx);
}

/* The live machine's online CPUs (Linux); count of them, or 0 when unknown. */
static size_t live_online_cpus(uint32_t* cpus, size_t max)
{
    FILE* f = fopen("/sys/devices/system/cpu/online", "r");
    char text[4096] = "";
    if (f == NULL) {
        return 0;
    }
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    size_t count = 0;
    for (char* p = text; *p != '\0' && *p != '\n';) {
        char* end = NULL;
        unsigned long first = strtoul(p, &end, 10), last = first;
        if (*end == '-') {
            last = strtoul(end + 1, &end, 10);
        }
        for (unsigned long c = first; c <= last && count < max; c++) {
            cpus[count++] = (uint32_t)c;
        }
        p = *end == ',' ? end + 1 : end;
    }
    return count;
}

CONFORMANCE_CASE(
    numa_place, NUMA_PLACE_002, "12.6",
    "live machine: placements spread over the online CPUs by accumulated load, lowest CPU first")
{
    numa_optimization_context_t* ctx = case_numa_new();
    numa_topology_info_t info;
    cr_assert(CAND(numa_get_topology_info)(ctx, &info),
              "numa_get_topology_info of a live context returned false with %s; expected true",
              error_name(CAND(module_get_last_error)()));
    if (info.has_heterogeneous_cores) {
        conformance_not_supported("the live machine has several core kinds; the policy is checked "
                                  "on recorded machines (NUMA-PLACE-003..)");
    }
    uint32_t cpus[1024];
    size_t online = live_online_cpus(cpus, 1024);
    if (online == 0) {
        conformance_not_supported(
            "this system does not list its online CPUs in /sys/devices/system/cpu/online");
    }
    cr_assert(online == info.total_cores, "total_cores %u, the OS lists %zu online CPUs",
              info.total_cores, online);
    for (size_t round = 0; round < 2; round++) {
        for (size_t i = 0; i < online; i++) {
            module_placement_result_t r = place(ctx, MODULE_TYPE_COMPUTE_INTENSIVE, 80, 0, 60);
            cr_assert(r.assigned_core_id == cpus[i] && r.core_type == CORE_TYPE_PERFORMANCE,
                      "round %zu, placement %zu: core %u (%d), expected the least loaded, lowest "
                      "CPU %u (P)",
                      round, i, r.assigned_core_id, (int)r.core_type, cpus[i]);
            double mean = 60.0 * (double)(round * online + i + 1) / (double)online;
            float score = (float)(mean / (60.0 * (double)(round + 1)));
            cr_assert(r.load_balancing_score - score < 1e-6f &&
                          score - r.load_balancing_score < 1e-6f,
                      "placement %zu: score %.7g, SPEC 12.8 gives %.7g", round * online + i,
                      (double)r.load_balancing_score, (double)score);
        }
    }
    CAND(numa_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(numa_place, NUMA_PLACE_003, "12.4",
                 "P+E machine (M1 Pro): the document's compute request lands on a P core, its "
                 "background request on an E core")
{
    const topology_machine_t* machine = topology_machine("macos-m1-pro-monterey");
    topology_replay_require(machine);
    const struct {
        module_type_t type;
        uint32_t priority;
        core_type_t expected;
        const char* what;
    } requests[] = {
        {MODULE_TYPE_COMPUTE_INTENSIVE, 80, CORE_TYPE_PERFORMANCE,
         "compute-intensive, priority 80 (\"For compute-intensive tasks, prefer P-cores\")"},
        {MODULE_TYPE_BACKGROUND, 20, CORE_TYPE_EFFICIENCY,
         "background, priority 20 (\"For background tasks, use E-cores\")"},
    };
    for (size_t i = 0; i < 2; i++) {
        numa_optimization_context_t* ctx = CAND(numa_optimization_create)();
        cr_assert(ctx != NULL, "numa_optimization_create under the M1 Pro recording failed: %s",
                  error_name(CAND(module_get_last_error)()));
        module_placement_request_t request = {requests[i].type, requests[i].priority, 256, 50};
        module_placement_result_t result;
        cr_assert(CAND(numa_place_module)(ctx, &request, &result),
                  "the first placement of a "
                  "%s request in a fresh context returned false (SPEC 12.4, 12.8)",
                  requests[i].what);
        cr_assert(result.core_type == requests[i].expected,
                  "on the M1 Pro (6 P + 2 E cores) the "
                  "first placement of a %s request went to core %u of type %s; expected a %s core "
                  "(SPEC 12.4)",
                  requests[i].what, result.assigned_core_id,
                  result.core_type == CORE_TYPE_EFFICIENCY ? "E" : "P",
                  requests[i].expected == CORE_TYPE_EFFICIENCY ? "E" : "P");
        CAND(numa_optimization_destroy)(ctx);
    }
}

CONFORMANCE_CASE(numa_place, NUMA_PLACE_009, "12.14",
                 "P+E machine (M1 Pro): high-priority compute on P cores, low-priority background "
                 "and I/O on E cores")
{
    numa_model_t model;
    numa_optimization_context_t* ctx = on_machine("macos-m1-pro-monterey", &model);
    module_placement_result_t r =
        place_both(ctx, &model, MODULE_TYPE_COMPUTE_INTENSIVE, 80, 512, 75, "compute, priority 80");
    cr_assert(r.assigned_core_id == 2 && r.core_type == CORE_TYPE_PERFORMANCE,
              "the first compute module went to core %u, expected 2 (the lowest P core)",
              r.assigned_core_id);
    r = place_both(ctx, &model, MODULE_TYPE_BACKGROUND, 10, 64, 20, "background, priority 10");
    cr_assert(r.assigned_core_id == 0 && r.core_type == CORE_TYPE_EFFICIENCY,
              "the first background module went to core %u, expected 0 (E)", r.assigned_core_id);
    r = place_both(ctx, &model, MODULE_TYPE_IO_INTENSIVE, 20, 64, 20, "I/O, priority 20");
    cr_assert(r.core_type == CORE_TYPE_EFFICIENCY, "low-priority I/O went to a P core (%u)",
              r.assigned_core_id);
    for (int i = 0; i < 8; i++) {
        place_both(ctx, &model, MODULE_TYPE_COMPUTE_INTENSIVE, 50, 0, 90, "compute, priority 50");
        place_both(ctx, &model, MODULE_TYPE_BACKGROUND, 49, 0, 30, "background, priority 49");
        place_both(ctx, &model, MODULE_TYPE_IO_INTENSIVE, 60, 0, 10, "I/O, priority 60 (any core)");
        place_both(ctx, &model, MODULE_TYPE_COMPUTE_INTENSIVE, 30, 0, 40,
                   "compute, priority 30 (any core)");
        place_both(ctx, &model, MODULE_TYPE_BACKGROUND, 90, 0, 5,
                   "background, priority 90 (any core)");
    }
    CAND(numa_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(
    numa_place, NUMA_PLACE_004, "12.5",
    "8-node machine: memory-intensive modules go to the node with the least placed memory")
{
    numa_model_t model;
    numa_optimization_context_t* ctx = on_machine("linux-amd-opteron-8node", &model);
    for (uint32_t node = 0; node < 8; node++) {
        module_placement_result_t r = place_both(ctx, &model, MODULE_TYPE_MEMORY_INTENSIVE, 50,
                                                 1000, 50, "memory-intensive, 1000 KB");
        cr_assert(r.numa_domain == node && r.assigned_core_id == 2 * node,
                  "memory module %u went to node %u core %u, expected node %u core %u", node,
                  r.numa_domain, r.assigned_core_id, node, 2 * node);
    }
    place_both(ctx, &model, MODULE_TYPE_COMPUTE_INTENSIVE, 80, 5000, 50,
               "compute with 5000 KB (counts on its node)");
    static const uint32_t sizes[] = {300, 4000, 10, 2500, 800, 0, 7000, 1234, 999, 64};
    for (size_t i = 0; i < 30; i++) {
        place_both(ctx, &model, MODULE_TYPE_MEMORY_INTENSIVE, (uint32_t)(i * 7 % 101),
                   sizes[i % 10], (uint32_t)(i * 13 % 101), "memory-intensive of varying size");
    }
    CAND(numa_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(
    numa_place, NUMA_PLACE_005, "12.15",
    "load_balancing_score is mean/max of the eligible cores' loads after the placement")
{
    numa_model_t model;
    numa_optimization_context_t* ctx = on_machine("linux-intel-lakefield-hybrid", &model);
    module_placement_result_t r =
        place_both(ctx, &model, MODULE_TYPE_BACKGROUND, 0, 0, 80, "background 80%");
    cr_assert(r.load_balancing_score > 0.2499f && r.load_balancing_score < 0.2501f,
              "one 80%% module on 4 idle E cores: score %g, expected 0.25",
              (double)r.load_balancing_score);
    r = place_both(ctx, &model, MODULE_TYPE_COMPUTE_INTENSIVE, 90, 0, 0,
                   "compute 0% on the idle P core");
    cr_assert(r.load_balancing_score == 1.0f && r.assigned_core_id == 4,
              "an idle placement on idle cores: core %u score %g, expected core 4, 1.0",
              r.assigned_core_id, (double)r.load_balancing_score);
    for (int i = 0; i < 12; i++) {
        place_both(ctx, &model, MODULE_TYPE_IO_INTENSIVE, (uint32_t)(i * 9), 0,
                   (uint32_t)(10 + i * 7), "I/O of growing load");
    }
    CAND(numa_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(
    numa_place, NUMA_PLACE_006, "12.6",
    "ties go to the kind the work prefers (4 kinds: X3, A715, A710, A510), then the lowest CPU")
{
    numa_model_t model;
    numa_optimization_context_t* ctx = on_machine("linux-arm-x3-a715-a710-a510", &model);
    static const uint32_t compute_order[] = {7, 3, 4, 5, 6, 7};
    for (size_t i = 0; i < 6; i++) {
        module_placement_result_t r = place_both(ctx, &model, MODULE_TYPE_COMPUTE_INTENSIVE, 80, 0,
                                                 10, "compute, priority 80");
        cr_assert(r.assigned_core_id == compute_order[i],
                  "compute placement %zu went to core %u, expected %u (fastest kind first)", i,
                  r.assigned_core_id, compute_order[i]);
    }
    numa_model_t model2;
    numa_optimization_context_t* ctx2 = on_machine("linux-arm-x3-a715-a710-a510", &model2);
    static const uint32_t io_order[] = {0, 1, 2, 5, 6, 3, 4, 7};
    for (size_t i = 0; i < 8; i++) {
        module_placement_result_t r =
            place_both(ctx2, &model2, MODULE_TYPE_IO_INTENSIVE, 60, 0, 10, "I/O, priority 60");
        cr_assert(r.assigned_core_id == io_order[i],
                  "I/O placement %zu went to core %u, expected %u (slowest kind first)", i,
                  r.assigned_core_id, io_order[i]);
    }
    CAND(numa_optimization_destroy)(ctx2);
    CAND(numa_optimization_destroy)(ctx);
}

CONFORMANCE_CASE(numa_place, NUMA_PLACE_007, "12.14",
                 "one core kind: every request may use every core, all of them P cores")
{
    numa_model_t model;
    numa_optimization_context_t* ctx = on_machine("macos-m1-bigsur", &model);
    for (int i = 0; i < 20; i++) {
        module_placement_result_t r = place_both(ctx, &model, (module_type_t)(i % 4),
                                                 (uint32_t)(i * 5), 100, 20, "mixed requests");
        cr_assert(r.core_type == CORE_TYPE_PERFORMANCE, "a one-kind machine gave an E core");
    }
    CAND(numa_optimization_destroy)(ctx);
}

/* A fixed pseudo-random sequence, so a failure can be reproduced. */
static uint32_t next_random(uint64_t* state)
{
    *state = *state * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(*state >> 33);
}

CONFORMANCE_CASE(
    numa_place, NUMA_PLACE_008, "12.7",
    "300 random placements and releases on three recorded machines follow the model exactly")
{
    static const char* const machines[] = {"macos-m3-max-sequoia", "linux-amd-opteron-8node",
                                           "linux-arm-x3-a715-a710-a510"};
    static numa_model_t model;
    for (size_t m = 0; m < 3; m++) {
        numa_optimization_context_t* ctx = on_machine(machines[m], &model);
        module_placement_result_t got[300], want[300];
        bool live[300] = {false};
        size_t made = 0;
        uint64_t seed = 0x5eed + m;
        for (int step = 0; step < 300; step++) {
            uint32_t dice = next_random(&seed) % 10;
            if (dice < 3 && made > 0) {
                size_t i = next_random(&seed) % made;
                if (!live[i]) {
                    continue;
                }
                cr_assert(CAND(numa_release_placement)(ctx, &got[i]),
                          "%s: releasing placement %zu failed: %s", machines[m], i,
                          error_name(CAND(module_get_last_error)()));
                cr_assert(numa_model_release(&model, &want[i]), "harness: model release");
                live[i] = false;
                continue;
            }
            module_placement_request_t r = {(module_type_t)(next_random(&seed) % 4),
                                            next_random(&seed) % 101, next_random(&seed) % 10000,
                                            next_random(&seed) % 101};
            got[made] =
                place(ctx, r.module_type, r.priority, r.memory_usage_kb, r.cpu_utilization_percent);
            want[made] = numa_model_place(&model, &r);
            numa_expect_result(
                &got[made], &want[made],
                case_strf("%s: step %d (type %d, priority %u, memory %u, utilization %u)",
                          machines[m], step, (int)r.module_type, r.priority, r.memory_usage_kb,
                          r.cpu_utilization_percent));
            live[made++] = true;
        }
        CAND(numa_optimization_destroy)(ctx);
    }
}

CONFORMANCE_CASE(
    numa_place, NUMA_PLACE_010, "12.8",
    "the document's example requests are placed on the live machine with a score within 0.0-1.0")
{
    const struct {
        module_placement_request_t request;
        const char* what;
    } examples[] = {
        {{.module_type = MODULE_TYPE_COMPUTE_INTENSIVE,
          .priority = 80,
          .memory_usage_kb = 512,
          .cpu_utilization_percent = 75},
         "numa_place_module's example"},
        {{.module_type = MODULE_TYPE_COMPUTE_INTENSIVE, .priority = 80},
         "the NUMA Placement Issues example"},
        {{.module_type = MODULE_TYPE_COMPUTE_INTENSIVE,
          .priority = 80,
          .cpu_utilization_percent = 75},
         "Performance Best Practices' compute request"},
        {{.module_type = MODULE_TYPE_BACKGROUND, .priority = 20, .cpu_utilization_percent = 25},
         "Performance Best Practices' background request"},
        {{.module_type = MODULE_TYPE_COMPUTE_INTENSIVE,
          .priority = 90,
          .memory_usage_kb = 512,
          .cpu_utilization_percent = 80},
         "the Complete Example's request"},
    };
    numa_optimization_context_t* ctx = CAND(numa_optimization_create)();
    if (ctx == NULL) {
        conformance_not_supported("numa_optimization_create returned NULL (allowed: SPEC 10.1)");
    }
    for (size_t i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
        module_placement_result_t result;
        cr_assert(CAND(numa_place_module)(ctx, &examples[i].request, &result),
                  "numa_place_module of %s returned false (last error %s); SPEC 12.8: the "
                  "document's example requests are placed",
                  examples[i].what, error_name(CAND(module_get_last_error)()));
        cr_assert(result.load_balancing_score >= 0.0f && result.load_balancing_score <= 1.0f,
                  "%s: load_balancing_score %g, outside 0.0-1.0 (SPEC 12.8)", examples[i].what,
                  (double)result.load_balancing_score);
        cr_assert(result.core_type == CORE_TYPE_PERFORMANCE ||
                      result.core_type == CORE_TYPE_EFFICIENCY,
                  "%s: core_type %d is neither CORE_TYPE_PERFORMANCE nor CORE_TYPE_EFFICIENCY "
                  "(SPEC 12.8)",
                  examples[i].what, (int)result.core_type);
    }
    CAND(numa_optimization_destroy)(ctx);
}
