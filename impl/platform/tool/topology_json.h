/*
 * topology_json.h — the topology table as JSON (schema "coremod-topology/1").
 *
 * Written by `coremod-topology --json` and compared field by field with each fixture machine's
 * expected.json. Fields, in order:
 *   schema, source, source_kind, vendor, brand, apple_generation, apple_variant, has_lse, has_amx,
 *   has_sme, has_prefetcher, cache_line_size, cpus_total, cpus_online, packages, clusters,
 *   apple_silicon_info{...}, cache_hierarchy_info{...}, numa_topology_info{...}  (the document's
 *   structs, field names as declared),
 *   kinds[{rank, core_type "P"|"E", name, count, cpus, capacity, max_freq_khz, midr, hybrid,
 *          l1i_size, l1d_size, l2_size, l3_size, cpus_per_l2}],
 *   caches[{level, type, size, line_size, ways, shared_by, instances}]  (identical instances
 *          grouped, by level, type and first CPU),
 *   nodes[{id, cpus}],
 *   cpus[{cpu, online, package, cluster, node, kind}]
 * CPU sets are cpulists ("0-3,8"); midr is "0x%08x" or "" when there is none.
 */
#ifndef COREMOD_PLATFORM_TOPOLOGY_JSON_H
#define COREMOD_PLATFORM_TOPOLOGY_JSON_H

#include <stdio.h>

#include "platform_topology.h"

#define PLATFORM_TOPOLOGY_JSON_SCHEMA "coremod-topology/1"

/* Writes the table followed by a newline. PLATFORM_ERR_SOURCE_UNREADABLE is never returned;
 * a write error gives PLATFORM_ERR_INVALID_ARGUMENT with the reason. */
platform_status_t platform_topology_write_json(const platform_topology_t* topology, FILE* out);

/* The same text in a malloc'ed string (tests). */
platform_status_t platform_topology_to_json(const platform_topology_t* topology, char** text);

#endif /* COREMOD_PLATFORM_TOPOLOGY_JSON_H */
