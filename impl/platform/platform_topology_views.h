/*
 * platform_topology_views.h — the topology table seen through the document's structs.
 *
 * The one place where the model maps onto apple_silicon_info_t, cache_hierarchy_info_t and
 * numa_topology_info_t; the JIT, Cache and NUMA APIs and `coremod-topology` all use it.
 *
 * Mapping:
 *  - P cores: online CPUs of every kind but the slowest; E cores: the slowest kind's, when there
 *    are several kinds (one kind: all cores are P, e_core_count 0). total_cores counts online
 *    logical CPUs, the unit a placement assigns.
 *  - Per-core cache figures are those a CPU of the fastest kind sees: its L1 data cache, its L2
 *    instance (shared by its cluster on Apple Silicon), its L3 instance.
 *  - gpu_core_count is 0: no source read here reports GPU cores.
 */
#ifndef COREMOD_PLATFORM_TOPOLOGY_VIEWS_H
#define COREMOD_PLATFORM_TOPOLOGY_VIEWS_H

#include "cache_optimization.h"
#include "jit_optimization.h"
#include "numa_optimization.h"
#include "platform_topology.h"

void platform_view_apple_silicon(const platform_topology_t* topology, apple_silicon_info_t* info);
void platform_view_cache_hierarchy(const platform_topology_t* topology,
                                   cache_hierarchy_info_t* info);
void platform_view_numa(const platform_topology_t* topology, numa_topology_info_t* info);

/* Online CPUs counted as performance / efficiency cores (see above). */
uint32_t platform_performance_core_count(const platform_topology_t* topology);
uint32_t platform_efficiency_core_count(const platform_topology_t* topology);

#endif /* COREMOD_PLATFORM_TOPOLOGY_VIEWS_H */
