/*
 * topology_machines.h — the recorded machines of fixtures/topology/ as the suite sees them
 * (SPEC 13.5): where each recording is, and the views and core kinds its expected.json gives.
 * The table itself is generated at build time (topology_machines_gen.py).
 */
#ifndef CONFORMANCE_TOPOLOGY_MACHINES_H
#define CONFORMANCE_TOPOLOGY_MACHINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cache_optimization.h"
#include "jit_optimization.h"
#include "numa_optimization.h"

typedef struct {
    int rank;         /* 0 = fastest */
    bool efficiency;  /* E cores (expected.json core_type "E") */
    const char* cpus; /* cpulist, e.g. "2-7" */
} topology_machine_kind_t;

typedef struct {
    uint32_t id; /* the OS's node number */
    const char* cpus;
} topology_machine_node_t;

typedef struct {
    const char* name;   /* directory name, e.g. "macos-m1-pro-monterey" */
    const char* env;    /* COREMOD_SYSFS_ROOT or COREMOD_SYSCTL_FILE */
    const char* source; /* relative to the fixtures/topology directory */
    const char* vendor; /* "Apple", "ARM", "Intel", "AMD" */
    apple_silicon_info_t apple;
    cache_hierarchy_info_t cache;
    numa_topology_info_t numa;
    int n_kinds;
    topology_machine_kind_t kinds[8];
    int n_nodes;
    topology_machine_node_t nodes[16];
} topology_machine_t;

extern const topology_machine_t topology_machines[];
extern const size_t topology_machine_count;

#endif /* CONFORMANCE_TOPOLOGY_MACHINES_H */
