/*
 * numa_placement.c — SPEC 12.4–12.9: which cores a request may use, which NUMA domain a
 * memory-bound module goes to, which core wins, and the load balancing score.
 *
 * The policy in one paragraph: high-priority compute goes to performance cores and low-priority
 * background or I/O work to efficiency cores; everything else may use any core. A memory-bound
 * module goes to the NUMA domain holding the least memory this context has placed. Within what
 * is allowed, the core with the least accumulated load wins, so placements spread; ties go to the
 * kind the work prefers (compute and memory: fastest first; I/O and background: slowest first),
 * then to the lowest CPU number.
 */
#include "numa_placement.h"

#include <stdlib.h>
#include <string.h>

typedef enum { CLASS_ANY = 0, CLASS_PERFORMANCE = 1, CLASS_EFFICIENCY = 2 } core_class_t;

/* ---- state ---------------------------------------------------------------------------------- */

static uint32_t node_slot(const platform_topology_t* t, int32_t node_os)
{
    for (uint32_t n = 0; n < t->n_nodes; n++) {
        if ((int32_t)t->nodes[n].os_index == node_os) {
            return n;
        }
    }
    return 0; /* a CPU the source gives no node for: the first node (every table has one) */
}

bool numa_state_init(numa_state_t* state, const platform_topology_t* t)
{
    memset(state, 0, sizeof(*state));
    state->heterogeneous = t->n_kinds > 1;
    state->n_nodes = t->n_nodes;
    state->cpus = calloc(t->n_online > 0 ? t->n_online : 1, sizeof(*state->cpus));
    state->load = calloc(t->n_online > 0 ? t->n_online : 1, sizeof(*state->load));
    state->scratch = calloc(t->n_online > 0 ? t->n_online : 1, sizeof(*state->scratch));
    state->node_os = calloc(t->n_nodes, sizeof(*state->node_os));
    state->node_memory_kb = calloc(t->n_nodes, sizeof(*state->node_memory_kb));
    if (!state->cpus || !state->load || !state->scratch || !state->node_os ||
        !state->node_memory_kb) {
        numa_state_free(state);
        return false;
    }
    for (uint32_t n = 0; n < t->n_nodes; n++) {
        state->node_os[n] = t->nodes[n].os_index;
    }
    for (uint32_t i = 0; i < t->n_cpus && state->n_cpus < t->n_online; i++) {
        const platform_cpu_t* cpu = &t->cpus[i];
        if (!cpu->online) {
            continue;
        }
        state->cpus[state->n_cpus++] = (numa_cpu_t){
            .os_index = cpu->os_index,
            .kind = cpu->kind,
            .efficiency = platform_kind_is_efficiency(t, cpu->kind),
            .node = node_slot(t, cpu->node),
        };
    }
    return true;
}

void numa_state_free(numa_state_t* state)
{
    free(state->cpus);
    free(state->load);
    free(state->scratch);
    free(state->node_os);
    free(state->node_memory_kb);
    free(state->placements);
    memset(state, 0, sizeof(*state));
}

/* ---- policy --------------------------------------------------------------------------------- */

/* SPEC 12.4 */
static core_class_t class_for(const numa_state_t* state, const module_placement_request_t* r)
{
    if (!state->heterogeneous) {
        return CLASS_ANY; /* one kind: every core is a performance core */
    }
    switch (r->module_type) {
    case MODULE_TYPE_COMPUTE_INTENSIVE:
        return r->priority >= NUMA_HIGH_PRIORITY ? CLASS_PERFORMANCE : CLASS_ANY;
    case MODULE_TYPE_IO_INTENSIVE:
    case MODULE_TYPE_BACKGROUND:
        return r->priority < NUMA_HIGH_PRIORITY ? CLASS_EFFICIENCY : CLASS_ANY;
    case MODULE_TYPE_MEMORY_INTENSIVE:
    default: return CLASS_ANY;
    }
}

/* SPEC 12.6: compute and memory-bound work prefer the fastest kind on a tie. */
static bool prefers_fast_kinds(module_type_t type)
{
    return type == MODULE_TYPE_COMPUTE_INTENSIVE || type == MODULE_TYPE_MEMORY_INTENSIVE;
}

static bool in_class(const numa_cpu_t* cpu, core_class_t cls)
{
    return cls == CLASS_ANY || (cls == CLASS_EFFICIENCY) == cpu->efficiency;
}

/* Fills state->scratch with the CPUs of `cls` (restricted to node `node` unless UINT32_MAX);
 * returns how many. */
static uint32_t gather(numa_state_t* state, core_class_t cls, uint32_t node)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < state->n_cpus; i++) {
        if (in_class(&state->cpus[i], cls) && (node == UINT32_MAX || state->cpus[i].node == node)) {
            state->scratch[n++] = i;
        }
    }
    return n;
}

/* SPEC 12.5: the node with the least placed memory among those holding an eligible CPU (the
 * scratch set); ties go to the lowest node number (nodes are sorted by it). */
static uint32_t least_memory_node(const numa_state_t* state, uint32_t eligible)
{
    uint32_t best = UINT32_MAX;
    for (uint32_t k = 0; k < eligible; k++) {
        uint32_t node = state->cpus[state->scratch[k]].node;
        if (best == UINT32_MAX || state->node_memory_kb[node] < state->node_memory_kb[best] ||
            (state->node_memory_kb[node] == state->node_memory_kb[best] && node < best)) {
            best = node;
        }
    }
    return best;
}

/* SPEC 12.6: is CPU a a better choice than CPU b? */
static bool better_core(const numa_state_t* state, uint32_t a, uint32_t b, bool fast_first)
{
    if (state->load[a] != state->load[b]) {
        return state->load[a] < state->load[b];
    }
    int32_t ka = state->cpus[a].kind, kb = state->cpus[b].kind;
    if (ka != kb) {
        return fast_first ? ka < kb : ka > kb;
    }
    return state->cpus[a].os_index < state->cpus[b].os_index;
}

/* SPEC 12.8: mean / max of the eligible CPUs' loads (1 when all are idle). */
static float balance_score(const numa_state_t* state, uint32_t eligible)
{
    uint64_t sum = 0, max = 0;
    for (uint32_t k = 0; k < eligible; k++) {
        uint64_t load = state->load[state->scratch[k]];
        sum += load;
        max = load > max ? load : max;
    }
    if (max == 0) {
        return 1.0f;
    }
    return (float)((double)sum / (double)eligible / (double)max);
}

static bool reserve_record(numa_state_t* state)
{
    if (state->count < state->capacity) {
        return true;
    }
    size_t capacity = state->capacity ? state->capacity * 2 : 16;
    numa_placement_t* grown = realloc(state->placements, capacity * sizeof(*grown));
    if (grown == NULL) {
        return false;
    }
    state->placements = grown;
    state->capacity = capacity;
    return true;
}

numa_place_status_t numa_state_place(numa_state_t* state, const module_placement_request_t* r,
                                     module_placement_result_t* result)
{
    if (state->live >= NUMA_MAX_LIVE_PLACEMENTS) {
        return NUMA_PLACE_LIMIT;
    }
    if (!reserve_record(state)) {
        return NUMA_PLACE_NO_MEMORY;
    }
    core_class_t cls = class_for(state, r);
    uint32_t eligible = gather(state, cls, UINT32_MAX);
    if (eligible == 0) { /* cannot happen: every class has a CPU; kept for safety */
        cls = CLASS_ANY;
        eligible = gather(state, cls, UINT32_MAX);
    }
    if (r->module_type == MODULE_TYPE_MEMORY_INTENSIVE) {
        eligible = gather(state, cls, least_memory_node(state, eligible));
    }
    bool fast_first = prefers_fast_kinds(r->module_type);
    uint32_t chosen = state->scratch[0];
    for (uint32_t k = 1; k < eligible; k++) {
        if (better_core(state, state->scratch[k], chosen, fast_first)) {
            chosen = state->scratch[k];
        }
    }
    const numa_cpu_t* cpu = &state->cpus[chosen];
    state->load[chosen] += r->cpu_utilization_percent;
    state->node_memory_kb[cpu->node] += r->memory_usage_kb;

    module_placement_result_t out = {
        .assigned_core_id = cpu->os_index,
        .core_type = cpu->efficiency ? CORE_TYPE_EFFICIENCY : CORE_TYPE_PERFORMANCE,
        .numa_domain = state->node_os[cpu->node],
        .load_balancing_score = balance_score(state, eligible),
    };
    state->placements[state->count++] = (numa_placement_t){
        .result = out,
        .cpu = chosen,
        .node = cpu->node,
        .utilization = r->cpu_utilization_percent,
        .memory_kb = r->memory_usage_kb,
        .live = true,
    };
    state->live++;
    *result = out;
    return NUMA_PLACE_OK;
}

/* ---- release -------------------------------------------------------------------------------- */

static bool same_result(const module_placement_result_t* a, const module_placement_result_t* b)
{
    return a->assigned_core_id == b->assigned_core_id && a->core_type == b->core_type &&
           a->numa_domain == b->numa_domain && a->load_balancing_score == b->load_balancing_score;
}

static numa_placement_t* find_live(const numa_state_t* state,
                                   const module_placement_result_t* result)
{
    for (size_t i = state->count; i-- > 0;) {
        numa_placement_t* p = &state->placements[i];
        if (p->live && same_result(&p->result, result)) {
            return p;
        }
    }
    return NULL;
}

const numa_placement_t* numa_state_find(const numa_state_t* state,
                                        const module_placement_result_t* result)
{
    return find_live(state, result);
}

/* Drops released records: trailing ones at once (the common last-in-first-out release), the
 * rest when they outnumber the live ones, keeping the order. */
static void compact(numa_state_t* state)
{
    while (state->count > 0 && !state->placements[state->count - 1].live) {
        state->count--;
    }
    if (state->count - state->live <= state->live + 64) {
        return;
    }
    size_t kept = 0;
    for (size_t i = 0; i < state->count; i++) {
        if (state->placements[i].live) {
            state->placements[kept++] = state->placements[i];
        }
    }
    state->count = kept;
}

bool numa_state_release(numa_state_t* state, const module_placement_result_t* result)
{
    numa_placement_t* p = find_live(state, result);
    if (p == NULL) {
        return false;
    }
    state->load[p->cpu] -= p->utilization;
    state->node_memory_kb[p->node] -= p->memory_kb;
    p->live = false;
    state->live--;
    compact(state);
    return true;
}
