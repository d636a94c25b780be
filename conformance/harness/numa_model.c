/* numa_model.c — see numa_model.h. */
#include "numa_model.h"

#include <string.h>

#include "case_context.h"
#include "topology_replay.h"

void numa_model_init(numa_model_t* model, const topology_machine_t* machine)
{
    memset(model, 0, sizeof(*model));
    model->machine = machine;
    for (int k = 0; k < machine->n_kinds; k++) {
        model->online |= topology_cpulist_mask(machine->kinds[k].cpus);
    }
    model->efficiency = machine->n_kinds > 1 ? topology_efficiency_mask(machine) : 0;
}

static uint64_t eligible_cpus(const numa_model_t* model, const module_placement_request_t* r)
{
    if (model->efficiency == 0) {
        return model->online; /* 12.4: one kind */
    }
    bool high = r->priority >= 50;
    if (r->module_type == MODULE_TYPE_COMPUTE_INTENSIVE && high) {
        return model->online & ~model->efficiency;
    }
    if ((r->module_type == MODULE_TYPE_IO_INTENSIVE || r->module_type == MODULE_TYPE_BACKGROUND) &&
        !high) {
        return model->efficiency;
    }
    return model->online;
}

static int node_slot_of(const numa_model_t* model, uint32_t cpu)
{
    for (int n = 0; n < model->machine->n_nodes; n++) {
        if (topology_cpulist_mask(model->machine->nodes[n].cpus) >> cpu & 1u) {
            return n;
        }
    }
    conformance_fail("harness: CPU %u of %s is in no node", cpu, model->machine->name);
}

/* 12.5: the node with the least placed memory among those holding an eligible CPU. */
static uint64_t restrict_to_memory_node(const numa_model_t* model, uint64_t eligible)
{
    int best = -1;
    for (int n = 0; n < model->machine->n_nodes; n++) {
        const topology_machine_node_t* node = &model->machine->nodes[n];
        if ((topology_cpulist_mask(node->cpus) & eligible) == 0) {
            continue;
        }
        if (best < 0 || model->memory[n] < model->memory[best] ||
            (model->memory[n] == model->memory[best] &&
             node->id < model->machine->nodes[best].id)) {
            best = n;
        }
    }
    return eligible & topology_cpulist_mask(model->machine->nodes[best].cpus);
}

module_placement_result_t numa_model_place(numa_model_t* model, const module_placement_request_t* r)
{
    uint64_t eligible = eligible_cpus(model, r);
    if (r->module_type == MODULE_TYPE_MEMORY_INTENSIVE) {
        eligible = restrict_to_memory_node(model, eligible);
    }
    bool fast_first = r->module_type == MODULE_TYPE_COMPUTE_INTENSIVE ||
                      r->module_type == MODULE_TYPE_MEMORY_INTENSIVE;
    int chosen = -1;
    for (int cpu = 0; cpu < 64; cpu++) { /* 12.6 */
        if (!(eligible >> cpu & 1u)) {
            continue;
        }
        if (chosen < 0 || model->load[cpu] < model->load[chosen]) {
            chosen = cpu;
            continue;
        }
        if (model->load[cpu] == model->load[chosen]) {
            int a = topology_cpu_rank(model->machine, (uint32_t)cpu);
            int b = topology_cpu_rank(model->machine, (uint32_t)chosen);
            if (fast_first ? a < b : a > b) {
                chosen = cpu; /* equal rank: the lower CPU, already chosen, stays */
            }
        }
    }
    int node = node_slot_of(model, (uint32_t)chosen);
    model->load[chosen] += r->cpu_utilization_percent; /* 12.7 */
    model->memory[node] += r->memory_usage_kb;
    uint64_t sum = 0, max = 0, n = 0;
    for (int cpu = 0; cpu < 64; cpu++) { /* 12.8 */
        if (eligible >> cpu & 1u) {
            sum += model->load[cpu];
            max = model->load[cpu] > max ? model->load[cpu] : max;
            n++;
        }
    }
    module_placement_result_t result = {
        .assigned_core_id = (uint32_t)chosen,
        .core_type =
            (model->efficiency >> chosen & 1u) ? CORE_TYPE_EFFICIENCY : CORE_TYPE_PERFORMANCE,
        .numa_domain = model->machine->nodes[node].id,
        .load_balancing_score = max == 0 ? 1.0f : (float)((double)sum / (double)n / (double)max),
    };
    if (model->count == NUMA_MODEL_MAX_PLACEMENTS) {
        conformance_fail("harness: the NUMA model holds %d placements at most",
                         NUMA_MODEL_MAX_PLACEMENTS);
    }
    model->placements[model->count++] = (numa_model_placement_t){
        result, (uint32_t)chosen, (uint32_t)node, r->cpu_utilization_percent, r->memory_usage_kb,
        true};
    return result;
}

bool numa_model_release(numa_model_t* model, const module_placement_result_t* result)
{
    for (size_t i = model->count; i-- > 0;) {
        numa_model_placement_t* p = &model->placements[i];
        if (p->live && p->result.assigned_core_id == result->assigned_core_id &&
            p->result.core_type == result->core_type &&
            p->result.numa_domain == result->numa_domain &&
            p->result.load_balancing_score == result->load_balancing_score) {
            p->live = false;
            model->load[p->cpu] -= p->utilization;
            model->memory[p->node_slot] -= p->memory_kb;
            return true;
        }
    }
    return false;
}

void numa_expect_result(const module_placement_result_t* got,
                        const module_placement_result_t* expected, const char* what)
{
    if (got->assigned_core_id != expected->assigned_core_id ||
        got->core_type != expected->core_type || got->numa_domain != expected->numa_domain ||
        (double)got->load_balancing_score - (double)expected->load_balancing_score > 1e-6 ||
        (double)expected->load_balancing_score - (double)got->load_balancing_score > 1e-6) {
        conformance_fail("%s: placed on core %u (%s, domain %u, score %.7g); SPEC 12.4-12.8 give "
                         "core %u (%s, domain %u, score %.7g)",
                         what, got->assigned_core_id,
                         got->core_type == CORE_TYPE_EFFICIENCY ? "E" : "P", got->numa_domain,
                         (double)got->load_balancing_score, expected->assigned_core_id,
                         expected->core_type == CORE_TYPE_EFFICIENCY ? "E" : "P",
                         expected->numa_domain, (double)expected->load_balancing_score);
    }
}
