/* topology_replay.c — see topology_replay.h. */
#include "topology_replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_context.h"
#include "case_memory.h"
#include "case_outcome.h"
#include "coremod_replay.h"
#include "error_capture.h"
#include "error_names.h"

#ifndef COREMOD_TOPOLOGY_FIXTURES_DIR
#error "meson defines COREMOD_TOPOLOGY_FIXTURES_DIR (the source tree's fixtures/topology)"
#endif

static const char* fixtures_topology_dir(void)
{
    const char* dir = getenv(TOPOLOGY_FIXTURES_ENV);
    return dir != NULL && dir[0] != '\0' ? dir : COREMOD_TOPOLOGY_FIXTURES_DIR;
}

const topology_machine_t* topology_machine(const char* name)
{
    for (size_t i = 0; i < topology_machine_count; i++) {
        if (strcmp(topology_machines[i].name, name) == 0) {
            return &topology_machines[i];
        }
    }
    conformance_fail("harness: no recorded machine named %s in the generated table", name);
}

const char* topology_machine_source(const topology_machine_t* machine)
{
    return case_strf("%s/%s", fixtures_topology_dir(), machine->source);
}

void topology_select_live(void)
{
    unsetenv(COREMOD_SYSFS_ROOT_ENV);
    unsetenv(COREMOD_SYSCTL_FILE_ENV);
}

void topology_select(const topology_machine_t* machine)
{
    topology_select_live();
    if (setenv(machine->env, topology_machine_source(machine), 1) != 0) {
        conformance_fail("harness: setenv %s failed", machine->env);
    }
}

/* The candidate's error after a failed create: code and callback message. */
static void create_failed(module_error_t* error, char* message, size_t message_size)
{
    *error = CAND(module_get_last_error)();
    captured_error_t first;
    message[0] = '\0';
    if (capture_take(&first) > 0) {
        snprintf(message, message_size, "%s", first.message);
    }
}

bool topology_candidate_views(machine_views_t* views, module_error_t* error, char* message,
                              size_t message_size)
{
    bool started = !capture_active();
    if (started) {
        capture_start();
    }
    capture_take(NULL);
    bool ok = false;
    memset(views, 0, sizeof(*views));
    jit_optimization_context_t* jit = CAND(jit_optimization_create)();
    cache_optimization_context_t* cache = jit ? CAND(cache_optimization_create)() : NULL;
    numa_optimization_context_t* numa = cache ? CAND(numa_optimization_create)() : NULL;
    if (numa == NULL) {
        create_failed(error, message, message_size);
    } else {
        ok = CAND(jit_get_apple_silicon_info)(jit, &views->apple) &&
             CAND(cache_get_hierarchy_info)(cache, &views->cache) &&
             CAND(numa_get_topology_info)(numa, &views->numa);
        if (!ok) {
            *error = CAND(module_get_last_error)();
            snprintf(message, message_size, "a view query failed on a fresh context");
        }
    }
    if (numa != NULL) {
        CAND(numa_optimization_destroy)(numa);
    }
    if (cache != NULL) {
        CAND(cache_optimization_destroy)(cache);
    }
    if (jit != NULL) {
        CAND(jit_optimization_destroy)(jit);
    }
    capture_take(NULL);
    if (started) {
        capture_stop();
    }
    return ok;
}

#define DIFF_FIELD(view, field, expected_value)                                                    \
    if ((uint64_t)views->view.field != (uint64_t)(expected_value)) {                               \
        used += (size_t)snprintf(diff + used, used < diff_size ? diff_size - used : 0,             \
                                 " " #view "." #field " %llu (expected %llu);",                    \
                                 (unsigned long long)views->view.field,                            \
                                 (unsigned long long)(expected_value));                            \
        equal = false;                                                                             \
    }

bool topology_views_match(const machine_views_t* views, const topology_machine_t* m, char* diff,
                          size_t diff_size)
{
    size_t used = 0;
    bool equal = true;
    diff[0] = '\0';
    DIFF_FIELD(apple, generation, m->apple.generation)
    DIFF_FIELD(apple, p_core_count, m->apple.p_core_count)
    DIFF_FIELD(apple, e_core_count, m->apple.e_core_count)
    DIFF_FIELD(apple, gpu_core_count, m->apple.gpu_core_count)
    DIFF_FIELD(apple, l1_cache_size, m->apple.l1_cache_size)
    DIFF_FIELD(apple, l2_cache_size, m->apple.l2_cache_size)
    DIFF_FIELD(apple, l3_cache_size, m->apple.l3_cache_size)
    DIFF_FIELD(apple, has_amx, m->apple.has_amx)
    DIFF_FIELD(apple, has_lse, m->apple.has_lse)
    DIFF_FIELD(cache, l1_cache_size, m->cache.l1_cache_size)
    DIFF_FIELD(cache, l1_cache_line_size, m->cache.l1_cache_line_size)
    DIFF_FIELD(cache, l1_associativity, m->cache.l1_associativity)
    DIFF_FIELD(cache, l2_cache_size, m->cache.l2_cache_size)
    DIFF_FIELD(cache, l2_cache_line_size, m->cache.l2_cache_line_size)
    DIFF_FIELD(cache, l2_associativity, m->cache.l2_associativity)
    DIFF_FIELD(cache, l3_cache_size, m->cache.l3_cache_size)
    DIFF_FIELD(cache, has_prefetcher, m->cache.has_prefetcher)
    DIFF_FIELD(numa, p_core_count, m->numa.p_core_count)
    DIFF_FIELD(numa, e_core_count, m->numa.e_core_count)
    DIFF_FIELD(numa, total_cores, m->numa.total_cores)
    DIFF_FIELD(numa, numa_domains, m->numa.numa_domains)
    DIFF_FIELD(numa, has_heterogeneous_cores, m->numa.has_heterogeneous_cores)
    return equal;
}

#undef DIFF_FIELD

bool topology_views_equal(const machine_views_t* a, const machine_views_t* b)
{
    /* Field by field: the structs have padding. */
    const apple_silicon_info_t *x = &a->apple, *y = &b->apple;
    const cache_hierarchy_info_t *c = &a->cache, *d = &b->cache;
    const numa_topology_info_t *n = &a->numa, *o = &b->numa;
    return x->generation == y->generation && x->p_core_count == y->p_core_count &&
           x->e_core_count == y->e_core_count && x->gpu_core_count == y->gpu_core_count &&
           x->l1_cache_size == y->l1_cache_size && x->l2_cache_size == y->l2_cache_size &&
           x->l3_cache_size == y->l3_cache_size && x->has_amx == y->has_amx &&
           x->has_lse == y->has_lse && c->l1_cache_size == d->l1_cache_size &&
           c->l1_cache_line_size == d->l1_cache_line_size &&
           c->l1_associativity == d->l1_associativity && c->l2_cache_size == d->l2_cache_size &&
           c->l2_cache_line_size == d->l2_cache_line_size &&
           c->l2_associativity == d->l2_associativity && c->l3_cache_size == d->l3_cache_size &&
           c->has_prefetcher == d->has_prefetcher && n->p_core_count == o->p_core_count &&
           n->e_core_count == o->e_core_count && n->total_cores == o->total_cores &&
           n->numa_domains == o->numa_domains &&
           n->has_heterogeneous_cores == o->has_heterogeneous_cores;
}

/* Ends the case as not_supported unless the candidate replays a recording unlike the live
 * machine `live`. */
static void require_replay_elsewhere(const machine_views_t* live)
{
    char diff[2048], message[1024];
    module_error_t error = MODULE_SUCCESS;
    for (size_t i = 0; i < topology_machine_count; i++) {
        const topology_machine_t* other = &topology_machines[i];
        if (topology_views_match(live, other, diff, sizeof(diff))) {
            continue;
        }
        topology_select(other);
        machine_views_t replayed;
        if (topology_candidate_views(&replayed, &error, message, sizeof(message)) &&
            topology_views_match(&replayed, other, diff, sizeof(diff))) {
            return;
        }
        conformance_not_supported("the recording matches the live machine, and replaying %s "
                                  "(%s=%s) does not give its views: the candidate does not "
                                  "replay recorded machines (SPEC 13.2)",
                                  other->name, other->env, topology_machine_source(other));
    }
}

void topology_replay_require(const topology_machine_t* m)
{
    topology_select(m);
    machine_views_t replayed;
    module_error_t error = MODULE_SUCCESS;
    char message[1024];
    if (!topology_candidate_views(&replayed, &error, message, sizeof(message))) {
        if (error == MODULE_ERROR_SYSTEM_ERROR && strstr(message, "not supported") != NULL) {
            conformance_not_supported("the candidate does not replay recorded machines (%s=%s: "
                                      "\"%s\", SPEC 13.2)",
                                      m->env, topology_machine_source(m), message);
        }
        /* A document-level case only needs the recording as a set-up (replay is coremod's,
         * 13.2): it cannot be made, so the case cannot run. */
        if (conformance_case_is_document_level()) {
            conformance_not_supported("under %s=%s the candidate's contexts cannot be created or "
                                      "read: %s \"%s\" (replay, SPEC 13.2, is coremod's)",
                                      m->env, topology_machine_source(m), error_name(error),
                                      message);
        }
        conformance_fail("under %s=%s the candidate's contexts cannot be created or read: %s "
                         "\"%s\" (SPEC 13.2)",
                         m->env, topology_machine_source(m), error_name(error), message);
    }
    char diff[2048];
    topology_select_live();
    machine_views_t live;
    bool live_ok = topology_candidate_views(&live, &error, message, sizeof(message));
    topology_select(m);
    if (topology_views_match(&replayed, m, diff, sizeof(diff))) {
        if (live_ok && topology_views_equal(&replayed, &live)) {
            /* This recording looks like the live machine (it may be this machine): a matching
             * answer proves nothing about replay, so check it on one that differs. */
            require_replay_elsewhere(&live);
            topology_select(m);
        }
        return;
    }
    if (live_ok && topology_views_equal(&replayed, &live)) {
        conformance_not_supported("under %s=%s the candidate reports the live machine, not the "
                                  "recording: it does not replay recorded machines (SPEC 13.2)",
                                  m->env, topology_machine_source(m));
    }
    if (conformance_case_is_document_level()) {
        conformance_not_supported("replaying %s (%s=%s) the candidate's views differ from "
                                  "expected.json, so the recorded machine this case needs cannot "
                                  "be set up (SPEC 13.5 is coremod's):%s",
                                  m->name, m->env, topology_machine_source(m), diff);
    }
    conformance_fail("replaying %s (%s=%s) the candidate's views differ from expected.json "
                     "(SPEC 13.5):%s",
                     m->name, m->env, topology_machine_source(m), diff);
}

uint64_t topology_cpulist_mask(const char* cpulist)
{
    uint64_t mask = 0;
    const char* p = cpulist;
    while (*p != '\0') {
        char* end = NULL;
        unsigned long first = strtoul(p, &end, 10);
        unsigned long last = first;
        if (*end == '-') {
            last = strtoul(end + 1, &end, 10);
        }
        if (end == p || last >= 64 || first > last) {
            conformance_fail("harness: cpulist \"%s\" is not a list of CPUs below 64", cpulist);
        }
        for (unsigned long cpu = first; cpu <= last; cpu++) {
            mask |= UINT64_C(1) << cpu;
        }
        p = *end == ',' ? end + 1 : end;
    }
    return mask;
}

uint64_t topology_kind_mask(const topology_machine_t* m, int rank)
{
    for (int k = 0; k < m->n_kinds; k++) {
        if (m->kinds[k].rank == rank) {
            return topology_cpulist_mask(m->kinds[k].cpus);
        }
    }
    return 0;
}

uint64_t topology_efficiency_mask(const topology_machine_t* m)
{
    uint64_t mask = 0;
    for (int k = 0; k < m->n_kinds; k++) {
        if (m->kinds[k].efficiency) {
            mask |= topology_cpulist_mask(m->kinds[k].cpus);
        }
    }
    return mask;
}

int topology_cpu_rank(const topology_machine_t* m, uint32_t cpu)
{
    for (int k = 0; k < m->n_kinds; k++) {
        if (cpu < 64 && (topology_cpulist_mask(m->kinds[k].cpus) >> cpu & 1u)) {
            return m->kinds[k].rank;
        }
    }
    return -1;
}

uint32_t topology_cpu_node(const topology_machine_t* m, uint32_t cpu)
{
    for (int n = 0; n < m->n_nodes; n++) {
        if (cpu < 64 && (topology_cpulist_mask(m->nodes[n].cpus) >> cpu & 1u)) {
            return m->nodes[n].id;
        }
    }
    conformance_fail("harness: CPU %u is in no node of %s", cpu, m->name);
}
