/*
 * numa_placement.h — the placement policy and its bookkeeping (SPEC 12.4–12.9, 12.11).
 *
 * A numa_state_t is what one context knows: the machine's online CPUs (their core kind and NUMA
 * node, from the topology snapshot) and what this context has placed so far — the accumulated
 * cpu_utilization_percent of each CPU, the accumulated memory_usage_kb of each node, and the
 * live placements. It is not thread-safe: numa_context.c serialises calls with the context's
 * lock.
 */
#ifndef COREMOD_NUMA_PLACEMENT_H
#define COREMOD_NUMA_PLACEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "numa_optimization.h"
#include "platform_topology.h"

/* SPEC 12.4: the priority at and above which a request counts as high priority. */
#define NUMA_HIGH_PRIORITY 50u
/* SPEC 12.11: live placements one context can hold. */
#define NUMA_MAX_LIVE_PLACEMENTS 65536u

typedef struct {
    uint32_t os_index; /* the OS's CPU number: assigned_core_id */
    int32_t kind;      /* core kind rank, 0 = fastest (platform_topology.h) */
    bool efficiency;   /* an E core (SPEC 13.4) */
    uint32_t node;     /* index into the state's nodes */
} numa_cpu_t;

typedef struct {
    module_placement_result_t result;
    uint32_t cpu;         /* index into the state's cpus */
    uint32_t node;        /* index into the state's nodes */
    uint32_t utilization; /* what the placement added to its CPU's load */
    uint32_t memory_kb;   /* what it added to its node's memory */
    bool live;            /* false once released */
} numa_placement_t;

typedef struct {
    uint32_t n_cpus; /* online CPUs */
    numa_cpu_t* cpus;
    uint64_t* load;    /* per CPU: sum of utilization of its live placements */
    uint32_t* scratch; /* per CPU: the eligible set of the call in progress */
    uint32_t n_nodes;
    uint32_t* node_os;            /* per node: the OS's node number */
    uint64_t* node_memory_kb;     /* per node: sum of memory_kb of its live placements */
    bool heterogeneous;           /* more than one core kind */
    numa_placement_t* placements; /* in placement order; released ones until compacted */
    size_t count;
    size_t capacity;
    size_t live;
} numa_state_t;

typedef enum {
    NUMA_PLACE_OK = 0,
    NUMA_PLACE_NO_MEMORY = 1,
    NUMA_PLACE_LIMIT = 2, /* NUMA_MAX_LIVE_PLACEMENTS live already */
} numa_place_status_t;

/* Builds an empty state for the topology's online CPUs; false when out of memory. */
bool numa_state_init(numa_state_t* state, const platform_topology_t* topology);
void numa_state_free(numa_state_t* state);

/* Places a validated request (SPEC 12.3) and records it. Nothing changes unless NUMA_PLACE_OK. */
numa_place_status_t numa_state_place(numa_state_t* state, const module_placement_request_t* request,
                                     module_placement_result_t* result);

/* The most recent live placement whose result equals *result field for field (SPEC 12.9), or
 * NULL. */
const numa_placement_t* numa_state_find(const numa_state_t* state,
                                        const module_placement_result_t* result);

/* Releases the placement numa_state_find gives: its load and memory are given back. False, with
 * nothing changed, when there is none. */
bool numa_state_release(numa_state_t* state, const module_placement_result_t* result);

#endif /* COREMOD_NUMA_PLACEMENT_H */
