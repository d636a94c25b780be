/*
 * numa_model.h — the suite's own statement of the placement policy (SPEC 12.4–12.9), run on a
 * recorded machine's expected.json, so that a candidate's placements can be compared one by one
 * with what the SPEC says they must be.
 */
#ifndef CONFORMANCE_NUMA_MODEL_H
#define CONFORMANCE_NUMA_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "numa_optimization.h"
#include "topology_machines.h"

#define NUMA_MODEL_MAX_PLACEMENTS 4096

typedef struct {
    module_placement_result_t result;
    uint32_t cpu, node_slot, utilization, memory_kb;
    bool live;
} numa_model_placement_t;

typedef struct {
    const topology_machine_t* machine;
    uint64_t online;     /* CPUs of every kind */
    uint64_t efficiency; /* E cores (none on a one-kind machine) */
    uint64_t load[64];
    uint64_t memory[16]; /* per node slot of machine->nodes */
    numa_model_placement_t placements[NUMA_MODEL_MAX_PLACEMENTS];
    size_t count;
} numa_model_t;

void numa_model_init(numa_model_t* model, const topology_machine_t* machine);

/* What numa_place_module must return for a valid request, with the model's state updated. */
module_placement_result_t numa_model_place(numa_model_t* model,
                                           const module_placement_request_t* request);

/* SPEC 12.9 on the model; false when no live placement has that result. */
bool numa_model_release(numa_model_t* model, const module_placement_result_t* result);

/* Fails the case unless `got` equals `expected` (the score within 1e-6), naming `what`. */
void numa_expect_result(const module_placement_result_t* got,
                        const module_placement_result_t* expected, const char* what);

#endif /* CONFORMANCE_NUMA_MODEL_H */
