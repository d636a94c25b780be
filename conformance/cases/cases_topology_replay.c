/*
 * cases_topology_replay.c — machine detection and recorded machines (SPEC 13): one case per
 * machine of fixtures/topology/ (replayed through COREMOD_SYSFS_ROOT or COREMOD_SYSCTL_FILE, its
 * views compared with expected.json), snapshots and bad sources, and the live machine against
 * what its OS reports. A candidate that does not replay gets not_supported (topology_replay.h).
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "conformance.h"
#include "coremod_replay.h"
#include "optimization_contexts.h"
#include "topology_replay.h"

CONFORMANCE_CASE(topo_api, TOPO_API_001, "10.1",
                 "the candidate exports every function the document declares or calls for the JIT, "
                 "Cache and NUMA APIs")
{
    char missing[1024];
    candidate_missing_optimization_functions(&conformance_candidate, missing, sizeof(missing));
    /* numa_release_placement and numa_apply_placement are coremod's (12.9, 12.10): TOPO-API-002. */
    char documented_missing[1024] = "";
    size_t count = 0;
    for (char* name = strtok(missing, ","); name != NULL; name = strtok(NULL, ",")) {
        if (strcmp(name, "numa_release_placement") == 0 ||
            strcmp(name, "numa_apply_placement") == 0) {
            continue;
        }
        size_t used = strlen(documented_missing);
        snprintf(documented_missing + used, sizeof(documented_missing) - used, "%s%s",
                 count ? ", " : "", name);
        count++;
    }
    cr_assert(count == 0,
              "the candidate %s does not export %zu function(s) the document declares "
              "or its Complete Example calls: %s (SPEC 10.1)",
              conformance_candidate.path, count, documented_missing);
}

CONFORMANCE_CASE(topo_api, TOPO_API_002, "12.9",
                 "the candidate exports coremod's NUMA additions numa_release_placement and "
                 "numa_apply_placement")
{
    bool release = conformance_candidate.numa_release_placement != NULL;
    bool apply = conformance_candidate.numa_apply_placement != NULL;
    cr_assert(release && apply,
              "the candidate %s does not export %s%s%s (coremod additions, SPEC "
              "12.9 and 12.10)",
              conformance_candidate.path, release ? "" : "numa_release_placement",
              !release && !apply ? " and " : "", apply ? "" : "numa_apply_placement");
}

static module_placement_result_t first_placement(module_type_t type, uint32_t priority)
{
    numa_optimization_context_t* ctx = case_numa_new();
    module_placement_request_t request = {type, priority, 256, 50};
    module_placement_result_t result;
    cr_assert(CAND(numa_place_module)(ctx, &request, &result), "numa_place_module failed: %s",
              error_name(CAND(module_get_last_error)()));
    CAND(numa_optimization_destroy)(ctx);
    return result;
}

static uint32_t lowest_cpu(uint64_t mask)
{
    return (uint32_t)__builtin_ctzll(mask);
}

/* SPEC 13.5: the views equal expected.json, and placements follow its kinds and nodes. */
static void check_machine(const char* name)
{
    const topology_machine_t* m = topology_machine(name);
    topology_replay_require(m);
    uint32_t fastest = lowest_cpu(topology_kind_mask(m, 0));
    module_placement_result_t r = first_placement(MODULE_TYPE_COMPUTE_INTENSIVE, 80);
    cr_assert(r.assigned_core_id == fastest && r.core_type == CORE_TYPE_PERFORMANCE &&
                  r.numa_domain == topology_cpu_node(m, fastest),
              "%s: the first compute module went to core %u (%s, node %u); the recording's fastest "
              "kind starts at core %u (node %u)",
              name, r.assigned_core_id, r.core_type == CORE_TYPE_EFFICIENCY ? "E" : "P",
              r.numa_domain, fastest, topology_cpu_node(m, fastest));
    uint64_t efficiency = m->n_kinds > 1 ? topology_efficiency_mask(m) : 0;
    uint32_t background =
        efficiency ? lowest_cpu(efficiency) : lowest_cpu(topology_kind_mask(m, 0));
    r = first_placement(MODULE_TYPE_BACKGROUND, 10);
    cr_assert(
        r.assigned_core_id == background &&
            r.core_type == (efficiency ? CORE_TYPE_EFFICIENCY : CORE_TYPE_PERFORMANCE),
        "%s: the first low-priority background module went to core %u (%s); expected core %u (%s)",
        name, r.assigned_core_id, r.core_type == CORE_TYPE_EFFICIENCY ? "E" : "P", background,
        efficiency ? "E" : "P");
}

CONFORMANCE_CASE(topo_replay, TOPO_REPLAY_001, "13.5",
                 "recorded machine linux-amd-opteron-8node (16 CPUs, 8 NUMA nodes)")
{
    check_machine("linux-amd-opteron-8node");
}
CONFORMANCE_CASE(topo_replay, TOPO_REPLAY_002, "13.5",
                 "recorded machine linux-arm-2c-cortex-a9 (no cache sizes in sysfs)")
{
    check_machine("linux-arm-2c-cortex-a9");
}
CONFORMANCE_CASE(topo_replay, TOPO_REPLAY_003, "13.5",
                 "recorded machine linux-arm-x3-a715-a710-a510 (four core kinds)")
{
    check_machine("linux-arm-x3-a715-a710-a510");
}
CONFORMANCE_CASE(topo_replay, TOPO_REPLAY_004, "13.5",
                 "recorded machine linux-asahi-m1-synthetic (Apple M1 under Linux, synthetic)")
{
    check_machine("linux-asahi-m1-synthetic");
}
CONFORMANCE_CASE(topo_replay, TOPO_REPLAY_005, "13.5",
                 "recorded machine linux-intel-lakefield-hybrid (1 P + 4 E)")
{
    check_machine("linux-intel-lakefield-hybrid");
}
CONFORMANCE_CASE(topo_replay, TOPO_REPLAY_006, "13.5",
                 "recorded machine linux-vm-amd-epyc-2c (this development VM)")
{
    check_machine("linux-vm-amd-epyc-2c");
}
CONFORMANCE_CASE(topo_replay, TOPO_REPLAY_007, "13.5",
                 "recorded machine macos-m1-bigsur (no perflevels recorded)")
{
    check_machine("macos-m1-bigsur");
}
CONFORMANCE_CASE(topo_replay, TOPO_REPLAY_008, "13.5",
                 "recorded machine macos-m1-pro-monterey (6 P + 2 E)")
{
    check_machine("macos-m1-pro-monterey");
}
CONFORMANCE_CASE(topo_replay, TOPO_REPLAY_009, "13.5",
                 "recorded machine macos-m2-monterey (4 P + 4 E)")
{
    check_machine("macos-m2-monterey");
}
CONFORMANCE_CASE(topo_replay, TOPO_REPLAY_010, "13.5",
                 "recorded machine macos-m3-max-sequoia (10 P + 4 E)")
{
    check_machine("macos-m3-max-sequoia");
}
CONFORMANCE_CASE(topo_replay, TOPO_REPLAY_011, "13.5",
                 "recorded machine macos-m4-max-sequoia (12 P + 4 E)")
{
    check_machine("macos-m4-max-sequoia");
}

static apple_silicon_info_t apple_of(jit_optimization_context_t* ctx)
{
    apple_silicon_info_t info;
    cr_assert(CAND(jit_get_apple_silicon_info)(ctx, &info),
              "jit_get_apple_silicon_info of a live context returned false with %s; expected true",
              error_name(CAND(module_get_last_error)()));
    return info;
}

static bool apple_equal(const apple_silicon_info_t* a, const apple_silicon_info_t* b)
{
    return a->generation == b->generation && a->p_core_count == b->p_core_count &&
           a->e_core_count == b->e_core_count && a->l1_cache_size == b->l1_cache_size &&
           a->l2_cache_size == b->l2_cache_size && a->l3_cache_size == b->l3_cache_size &&
           a->has_amx == b->has_amx && a->has_lse == b->has_lse;
}

CONFORMANCE_CASE(
    topo_replay, TOPO_REPLAY_012, "13.3",
    "a context keeps the machine it was created under; later contexts follow the environment")
{
    const topology_machine_t* m1 = topology_machine("macos-m1-pro-monterey");
    const topology_machine_t* opteron = topology_machine("linux-amd-opteron-8node");
    topology_replay_require(opteron);
    topology_replay_require(m1);
    jit_optimization_context_t* on_m1 = case_jit_new();
    numa_optimization_context_t* numa_m1 = case_numa_new();
    topology_select(opteron);
    jit_optimization_context_t* on_opteron = case_jit_new();
    topology_select_live();
    jit_optimization_context_t* on_live = case_jit_new();
    topology_select(m1);
    jit_optimization_context_t* m1_again = case_jit_new();
    topology_select(opteron);
    apple_silicon_info_t a = apple_of(on_m1), b = apple_of(on_opteron), c = apple_of(m1_again);
    cr_assert(apple_equal(&a, &m1->apple),
              "a context created under %s changed machine when the environment changed", m1->name);
    cr_assert(apple_equal(&b, &opteron->apple), "a context created under %s does not describe it",
              opteron->name);
    cr_assert(apple_equal(&c, &a), "the same recording named twice describes two machines");
    numa_topology_info_t numa;
    cr_assert(CAND(numa_get_topology_info)(numa_m1, &numa),
              "numa_get_topology_info of a live context returned false with %s; expected true",
              error_name(CAND(module_get_last_error)()));
    cr_assert(
        numa.total_cores == 8 && numa.e_core_count == 2,
        "a NUMA context created under %s reports %u cores, %u E after the environment changed",
        m1->name, numa.total_cores, numa.e_core_count);
    module_placement_request_t request = {MODULE_TYPE_BACKGROUND, 10, 0, 10};
    module_placement_result_t placed;
    cr_assert(CAND(numa_place_module)(numa_m1, &request, &placed) &&
                  placed.core_type == CORE_TYPE_EFFICIENCY && placed.assigned_core_id == 0,
              "placing in the M1 Pro context after the environment changed did not use the M1 "
              "Pro's E core 0");
    apple_silicon_info_t live = apple_of(on_live);
    cr_assert(!apple_equal(&live, &opteron->apple) || !apple_equal(&live, &m1->apple),
              "harness: the live machine equals both recordings");
    CAND(jit_optimization_destroy)(on_m1);
    CAND(jit_optimization_destroy)(on_opteron);
    CAND(jit_optimization_destroy)(on_live);
    CAND(jit_optimization_destroy)(m1_again);
    CAND(numa_optimization_destroy)(numa_m1);
}

/* Every create fails with SYSTEM_ERROR and a message containing `needle`. */
static void expect_creates_fail(const char* needle, const char* what)
{
    capture_take(NULL);
    void* contexts[3] = {CAND(jit_optimization_create)(), NULL, NULL};
    cr_assert(contexts[0] == NULL, "jit_optimization_create succeeded with %s", what);
    const char* message =
        expect_failure(MODULE_ERROR_SYSTEM_ERROR, case_strf("jit_optimization_create (%s)", what));
    expect_message_contains(message, needle, case_strf("jit_optimization_create (%s)", what));
    contexts[1] = CAND(cache_optimization_create)();
    cr_assert(contexts[1] == NULL, "cache_optimization_create succeeded with %s", what);
    expect_failure(MODULE_ERROR_SYSTEM_ERROR, case_strf("cache_optimization_create (%s)", what));
    contexts[2] = CAND(numa_optimization_create)();
    cr_assert(contexts[2] == NULL, "numa_optimization_create succeeded with %s", what);
    expect_failure(MODULE_ERROR_SYSTEM_ERROR, case_strf("numa_optimization_create (%s)", what));
}

CONFORMANCE_CASE(topo_replay, TOPO_REPLAY_013, "13.2",
                 "an unreadable or empty recording, or both variables set, fails every create with "
                 "SYSTEM_ERROR naming the cause")
{
    topology_replay_require(topology_machine("linux-intel-lakefield-hybrid"));
    topology_select_live();
    capture_start();
    const char* missing_dir = case_path("no-such-root");
    setenv(COREMOD_SYSFS_ROOT_ENV, missing_dir, 1);
    expect_creates_fail(missing_dir, COREMOD_SYSFS_ROOT_ENV " naming a missing directory");
    case_mkdir("empty-root");
    setenv(COREMOD_SYSFS_ROOT_ENV, case_path("empty-root"), 1);
    expect_creates_fail(case_path("empty-root"),
                        COREMOD_SYSFS_ROOT_ENV " naming an empty directory");
    topology_select_live();
    const char* missing_file = case_path("no-such-" COREMOD_REPLAY_SYSCTL_NAME);
    setenv(COREMOD_SYSCTL_FILE_ENV, missing_file, 1);
    expect_creates_fail(missing_file, COREMOD_SYSCTL_FILE_ENV " naming a missing file");
    topology_select(topology_machine("macos-m2-monterey"));
    setenv(COREMOD_SYSFS_ROOT_ENV,
           topology_machine_source(topology_machine("linux-intel-lakefield-hybrid")), 1);
    expect_creates_fail("COREMOD_S",
                        "both " COREMOD_SYSFS_ROOT_ENV " and " COREMOD_SYSCTL_FILE_ENV " set");
    topology_select_live();
}

/* Linux: a sysfs size such as "48K" in bytes (0 when unreadable). */
static uint64_t sysfs_size(const char* path)
{
    FILE* f = fopen(path, "r");
    char text[64] = "";
    if (f == NULL) {
        return 0;
    }
    if (fgets(text, sizeof(text), f) == NULL) {
        text[0] = '\0';
    }
    fclose(f);
    char* end = NULL;
    uint64_t value = strtoull(text, &end, 10);
    return *end == 'K' ? value * 1024 : *end == 'M' ? value * 1024 * 1024 : value;
}

static bool sysfs_text_is(const char* path, const char* want)
{
    FILE* f = fopen(path, "r");
    char text[64] = "";
    if (f == NULL) {
        return false;
    }
    bool read = fgets(text, sizeof(text), f) != NULL;
    fclose(f);
    return read && strncmp(text, want, strlen(want)) == 0;
}

CONFORMANCE_CASE(
    topo_det, TOPO_DET_001, "13.6",
    "live machine: the views agree with what Linux reports (CPUs, nodes, L1 data cache)")
{
#if defined(__linux__)
    topology_select_live();
    machine_views_t v;
    module_error_t error;
    char message[512];
    cr_assert(topology_candidate_views(&v, &error, message, sizeof(message)),
              "live contexts failed: %s %s", error_name(error), message);
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    cr_assert(v.numa.total_cores == (uint32_t)online, "total_cores %u, the OS has %ld CPUs online",
              v.numa.total_cores, online);
    cr_assert(v.numa.p_core_count + v.numa.e_core_count == v.numa.total_cores &&
                  v.numa.has_heterogeneous_cores == (v.numa.e_core_count > 0),
              "P %u + E %u vs total %u, heterogeneous %d", v.numa.p_core_count, v.numa.e_core_count,
              v.numa.total_cores, v.numa.has_heterogeneous_cores);
    uint32_t nodes = 0;
    DIR* dir = opendir("/sys/devices/system/node");
    for (struct dirent* e; dir != NULL && (e = readdir(dir)) != NULL;) {
        nodes += strncmp(e->d_name, "node", 4) == 0 && e->d_name[4] >= '0' && e->d_name[4] <= '9';
    }
    if (dir != NULL) {
        closedir(dir);
    }
    cr_assert(v.numa.numa_domains == (nodes > 0 ? nodes : 1),
              "numa_domains %u, the OS lists %u nodes", v.numa.numa_domains, nodes);
    bool any = false, match = false;
    for (long cpu = 0; cpu < 4096 && !match; cpu++) {
        for (int index = 0; index < 8; index++) {
            const char* base =
                case_strf("/sys/devices/system/cpu/cpu%ld/cache/index%d", cpu, index);
            if (!sysfs_text_is(case_strf("%s/level", base), "1") ||
                !sysfs_text_is(case_strf("%s/type", base), "Data")) {
                continue;
            }
            any = true;
            match = match || (sysfs_size(case_strf("%s/size", base)) == v.cache.l1_cache_size &&
                              sysfs_size(case_strf("%s/coherency_line_size", base)) ==
                                  v.cache.l1_cache_line_size);
        }
    }
    cr_assert(!any || match,
              "L1 data cache %u bytes with %u-byte lines: no CPU's sysfs cache/index* says so",
              v.cache.l1_cache_size, v.cache.l1_cache_line_size);
#else
    conformance_not_supported("the suite compares live detection with Linux's sysfs only");
#endif
}

typedef struct {
    pthread_barrier_t* start;
    apple_silicon_info_t apple[20];
    numa_topology_info_t numa[20];
    int failures;
} detect_worker_t;

static void* detect_worker(void* opaque)
{
    detect_worker_t* w = opaque;
    pthread_barrier_wait(w->start);
    for (int i = 0; i < 20; i++) {
        jit_optimization_context_t* jit = conformance_candidate.jit_optimization_create();
        numa_optimization_context_t* numa = conformance_candidate.numa_optimization_create();
        if (jit == NULL || numa == NULL ||
            !conformance_candidate.jit_get_apple_silicon_info(jit, &w->apple[i]) ||
            !conformance_candidate.numa_get_topology_info(numa, &w->numa[i])) {
            w->failures++;
        }
        conformance_candidate.jit_optimization_destroy(jit);
        conformance_candidate.numa_optimization_destroy(numa);
    }
    return NULL;
}

CONFORMANCE_CASE(topo_det, TOPO_DET_002, "13.1",
                 "contexts created from 8 threads at once, the first of the process among them, "
                 "all describe the same live machine")
{
    optimization_require_all();
    topology_select_live();
    static detect_worker_t workers[8];
    pthread_t threads[8];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, 8);
    for (int t = 0; t < 8; t++) {
        workers[t] = (detect_worker_t){.start = &start};
        cr_assert(pthread_create(&threads[t], NULL, detect_worker, &workers[t]) == 0,
                  "harness: pthread_create");
    }
    for (int t = 0; t < 8; t++) {
        pthread_join(threads[t], NULL);
    }
    pthread_barrier_destroy(&start);
    machine_views_t first;
    module_error_t error;
    char message[512];
    cr_assert(topology_candidate_views(&first, &error, message, sizeof(message)),
              "live contexts failed: %s", error_name(error));
    for (int t = 0; t < 8; t++) {
        cr_assert(workers[t].failures == 0, "thread %d: %d of 20 creations or queries failed", t,
                  workers[t].failures);
        for (int i = 0; i < 20; i++) {
            cr_assert(apple_equal(&workers[t].apple[i], &first.apple) &&
                          workers[t].numa[i].total_cores == first.numa.total_cores &&
                          workers[t].numa[i].e_core_count == first.numa.e_core_count &&
                          workers[t].numa[i].numa_domains == first.numa.numa_domains,
                      "thread %d, context %d described another machine than the main thread's", t,
                      i);
        }
    }
}
