/*
 * platform_topology_views.c — the model mapped onto the document's structs (see the header).
 */
#include "platform_topology_views.h"

#include <string.h>

uint32_t platform_efficiency_core_count(const platform_topology_t* t)
{
    return t->n_kinds > 1 ? t->kinds[t->n_kinds - 1].count : 0;
}

uint32_t platform_performance_core_count(const platform_topology_t* t)
{
    return t->n_online - platform_efficiency_core_count(t);
}

/* The cache in `slot` of the fastest kind's first CPU, or NULL. */
static const platform_cache_t* fastest_cache(const platform_topology_t* t, int slot)
{
    if (t->n_kinds == 0)
        return NULL;
    int64_t first = cpuset_next(&t->kinds[0].cpus, 0);
    for (uint32_t i = 0; first >= 0 && i < t->n_cpus; i++)
        if (t->cpus[i].os_index == (uint32_t)first)
            return t->cpus[i].cache[slot] >= 0 ? &t->caches[t->cpus[i].cache[slot]] : NULL;
    return NULL;
}

static uint32_t clamp32(uint64_t v)
{
    return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

void platform_view_apple_silicon(const platform_topology_t* t, apple_silicon_info_t* info)
{
    memset(info, 0, sizeof *info);
    info->generation = t->apple_generation;
    info->p_core_count = platform_performance_core_count(t);
    info->e_core_count = platform_efficiency_core_count(t);
    info->gpu_core_count = 0;
    const platform_cache_t* l1d = fastest_cache(t, PLATFORM_SLOT_L1D);
    const platform_cache_t* l2 = fastest_cache(t, PLATFORM_SLOT_L2);
    const platform_cache_t* l3 = fastest_cache(t, PLATFORM_SLOT_L3);
    info->l1_cache_size = l1d ? l1d->size : 0;
    info->l2_cache_size = l2 ? l2->size : 0;
    info->l3_cache_size = l3 ? l3->size : 0;
    info->has_amx = t->has_amx;
    info->has_lse = t->has_lse;
}

void platform_view_cache_hierarchy(const platform_topology_t* t, cache_hierarchy_info_t* info)
{
    memset(info, 0, sizeof *info);
    const platform_cache_t* l1d = fastest_cache(t, PLATFORM_SLOT_L1D);
    const platform_cache_t* l2 = fastest_cache(t, PLATFORM_SLOT_L2);
    const platform_cache_t* l3 = fastest_cache(t, PLATFORM_SLOT_L3);
    if (l1d) {
        info->l1_cache_size = clamp32(l1d->size);
        info->l1_cache_line_size = l1d->line_size;
        info->l1_associativity = l1d->ways;
    }
    if (l2) {
        info->l2_cache_size = clamp32(l2->size);
        info->l2_cache_line_size = l2->line_size;
        info->l2_associativity = l2->ways;
    }
    info->l3_cache_size = l3 ? clamp32(l3->size) : 0;
    info->has_prefetcher = t->has_prefetcher;
}

void platform_view_numa(const platform_topology_t* t, numa_topology_info_t* info)
{
    memset(info, 0, sizeof *info);
    info->p_core_count = platform_performance_core_count(t);
    info->e_core_count = platform_efficiency_core_count(t);
    info->total_cores = t->n_online;
    info->numa_domains = t->n_nodes;
    info->has_heterogeneous_cores = t->n_kinds > 1;
}
