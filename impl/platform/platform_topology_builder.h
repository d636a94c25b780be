/*
 * platform_topology_builder.h — how a backend fills a platform_topology_t (internal).
 *
 * A backend adds CPUs (in increasing OS number), the caches each CPU sees, NUMA nodes and core
 * kinds; builder_finish() derives everything that follows from those facts in one place for all
 * backends (dense cluster numbers, per-kind summaries, default NUMA node, counts, cache order).
 * On any failure the backend calls builder_discard(): nothing is leaked.
 */
#ifndef COREMOD_PLATFORM_TOPOLOGY_BUILDER_H
#define COREMOD_PLATFORM_TOPOLOGY_BUILDER_H

#include "platform_topology.h"

typedef struct {
    platform_topology_t* topo;
    uint32_t cap_cpus;
    uint32_t cap_caches;
    uint32_t cap_nodes;
} topo_builder_t;

/* source_text: "live-linux", "replay-sysfs:DIR", ... (copied). */
platform_status_t builder_begin(topo_builder_t* b, platform_source_kind_t kind,
                                const char* source_text);

/* Adds a CPU with every field "unknown"; *index receives its position. OS numbers must increase.
 * Fill `cluster` with any number that is equal for CPUs of one cluster within a package (-1: use
 * the package); builder_finish renumbers clusters densely. */
platform_status_t builder_add_cpu(topo_builder_t* b, uint32_t os_index, bool online,
                                  uint32_t* index);

/* Records that CPU `cpu_index` sees this cache. Instances are shared: a cache with the same level,
 * type and sharing set as an existing one is that one. */
platform_status_t builder_add_cpu_cache(topo_builder_t* b, uint32_t cpu_index, uint32_t level,
                                        platform_cache_type_t type, uint64_t size,
                                        uint32_t line_size, uint32_t ways,
                                        const platform_cpuset_t* shared_cpus);

/* Adds a NUMA node; `cpus` is copied. Without any node, finish() makes node 0 of every CPU. */
platform_status_t builder_add_node(topo_builder_t* b, uint32_t os_index,
                                   const platform_cpuset_t* cpus);

/* Allocates n kinds (names empty); every online CPU's `kind` must then be in [0, n). */
platform_status_t builder_set_kinds(topo_builder_t* b, uint32_t n);

/* Sets a kind's name (truncated to fit). */
void builder_set_kind_name(topo_builder_t* b, uint32_t kind, const char* name);

/* Completes the table and hands it over (*out); the builder is then empty. */
platform_status_t builder_finish(topo_builder_t* b, platform_topology_t** out);

/* Frees whatever was built so far. Safe on a finished or never-begun builder. */
void builder_discard(topo_builder_t* b);

/* Frees a finished table (used by platform_topology_free). */
void topology_destroy(platform_topology_t* topo);

#endif /* COREMOD_PLATFORM_TOPOLOGY_BUILDER_H */
