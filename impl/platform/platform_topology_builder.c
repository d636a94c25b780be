/*
 * platform_topology_builder.c — assembling and completing a topology table (see the header).
 */
#include "platform_topology_builder.h"

#include <stdlib.h>
#include <string.h>

void topology_destroy(platform_topology_t* topo)
{
    if (!topo)
        return;
    for (uint32_t i = 0; i < topo->n_caches; i++)
        cpuset_free(&topo->caches[i].cpus);
    for (uint32_t i = 0; i < topo->n_nodes; i++)
        cpuset_free(&topo->nodes[i].cpus);
    for (uint32_t i = 0; i < topo->n_kinds; i++)
        cpuset_free(&topo->kinds[i].cpus);
    free(topo->caches);
    free(topo->nodes);
    free(topo->kinds);
    free(topo->cpus);
    free(topo->source);
    free(topo);
}

void builder_discard(topo_builder_t* b)
{
    if (!b)
        return;
    topology_destroy(b->topo);
    memset(b, 0, sizeof *b);
}

platform_status_t builder_begin(topo_builder_t* b, platform_source_kind_t kind,
                                const char* source_text)
{
    if (!b || !source_text)
        return platform_fail(PLATFORM_ERR_INVALID_ARGUMENT, "builder_begin: NULL argument");
    memset(b, 0, sizeof *b);
    b->topo = calloc(1, sizeof *b->topo);
    if (!b->topo)
        return platform_fail(PLATFORM_ERR_NO_MEMORY, "out of memory allocating a topology");
    b->topo->source_kind = kind;
    b->topo->source = strdup(source_text);
    if (!b->topo->source) {
        builder_discard(b);
        return platform_fail(PLATFORM_ERR_NO_MEMORY, "out of memory allocating a topology");
    }
    return PLATFORM_OK;
}

/* Grows an array of `size`-byte elements to hold one more; zeroes the new tail. */
static platform_status_t grow(void** array, uint32_t* cap, uint32_t count, size_t size)
{
    if (count < *cap)
        return PLATFORM_OK;
    uint32_t new_cap = *cap ? *cap * 2u : 8u;
    void* grown = realloc(*array, (size_t)new_cap * size);
    if (!grown)
        return platform_fail(PLATFORM_ERR_NO_MEMORY, "out of memory growing the topology table");
    memset((char*)grown + (size_t)*cap * size, 0, (size_t)(new_cap - *cap) * size);
    *array = grown;
    *cap = new_cap;
    return PLATFORM_OK;
}

platform_status_t builder_add_cpu(topo_builder_t* b, uint32_t os_index, bool online,
                                  uint32_t* index)
{
    platform_topology_t* t = b->topo;
    if (t->n_cpus && t->cpus[t->n_cpus - 1].os_index >= os_index)
        return platform_fail(PLATFORM_ERR_SOURCE_MALFORMED, "CPU %u listed twice or out of order",
                             os_index);
    if (t->n_cpus >= PLATFORM_MAX_CPUS)
        return platform_fail(PLATFORM_ERR_SOURCE_MALFORMED, "more than %u CPUs", PLATFORM_MAX_CPUS);
    platform_status_t st = grow((void**)&t->cpus, &b->cap_cpus, t->n_cpus, sizeof *t->cpus);
    if (st != PLATFORM_OK)
        return st;
    platform_cpu_t* cpu = &t->cpus[t->n_cpus];
    memset(cpu, 0, sizeof *cpu);
    cpu->os_index = os_index;
    cpu->online = online;
    cpu->package = 0;
    cpu->cluster = -1;
    cpu->node = -1;
    cpu->kind = -1;
    for (int s = 0; s < PLATFORM_CACHE_SLOTS; s++)
        cpu->cache[s] = -1;
    if (index)
        *index = t->n_cpus;
    t->n_cpus++;
    return PLATFORM_OK;
}

static int cache_slot(uint32_t level, platform_cache_type_t type)
{
    if (level == 1)
        return type == PLATFORM_CACHE_INSTRUCTION ? PLATFORM_SLOT_L1I : PLATFORM_SLOT_L1D;
    if (type == PLATFORM_CACHE_INSTRUCTION)
        return -1; /* no deeper instruction-only slot */
    if (level == 2)
        return PLATFORM_SLOT_L2;
    if (level == 3)
        return PLATFORM_SLOT_L3;
    return -1;
}

platform_status_t builder_add_cpu_cache(topo_builder_t* b, uint32_t cpu_index, uint32_t level,
                                        platform_cache_type_t type, uint64_t size,
                                        uint32_t line_size, uint32_t ways,
                                        const platform_cpuset_t* shared_cpus)
{
    platform_topology_t* t = b->topo;
    if (cpu_index >= t->n_cpus || !shared_cpus)
        return platform_fail(PLATFORM_ERR_INVALID_ARGUMENT, "builder_add_cpu_cache: bad CPU index");
    int32_t found = -1;
    for (uint32_t i = 0; i < t->n_caches && found < 0; i++) {
        const platform_cache_t* c = &t->caches[i];
        if (c->level == level && c->type == type && cpuset_equal(&c->cpus, shared_cpus))
            found = (int32_t)i;
    }
    if (found < 0) {
        platform_status_t st =
            grow((void**)&t->caches, &b->cap_caches, t->n_caches, sizeof *t->caches);
        if (st != PLATFORM_OK)
            return st;
        platform_cache_t* c = &t->caches[t->n_caches];
        memset(c, 0, sizeof *c);
        if ((st = cpuset_copy(&c->cpus, shared_cpus)) != PLATFORM_OK)
            return st;
        c->level = level;
        c->type = type;
        c->size = size;
        c->line_size = line_size;
        c->ways = ways;
        found = (int32_t)t->n_caches++;
    }
    int slot = cache_slot(level, type);
    /* A unified L1 fills the data slot; a data cache wins over a unified one at the same level. */
    if (slot >= 0) {
        platform_cpu_t* cpu = &t->cpus[cpu_index];
        if (cpu->cache[slot] < 0 || type == PLATFORM_CACHE_DATA)
            cpu->cache[slot] = found;
    }
    return PLATFORM_OK;
}

platform_status_t builder_add_node(topo_builder_t* b, uint32_t os_index,
                                   const platform_cpuset_t* cpus)
{
    platform_topology_t* t = b->topo;
    for (uint32_t i = 0; i < t->n_nodes; i++)
        if (t->nodes[i].os_index == os_index)
            return platform_fail(PLATFORM_ERR_SOURCE_MALFORMED, "NUMA node %u listed twice",
                                 os_index);
    platform_status_t st = grow((void**)&t->nodes, &b->cap_nodes, t->n_nodes, sizeof *t->nodes);
    if (st != PLATFORM_OK)
        return st;
    platform_node_t* node = &t->nodes[t->n_nodes];
    memset(node, 0, sizeof *node);
    if ((st = cpuset_copy(&node->cpus, cpus)) != PLATFORM_OK)
        return st;
    node->os_index = os_index;
    t->n_nodes++;
    return PLATFORM_OK;
}

platform_status_t builder_set_kinds(topo_builder_t* b, uint32_t n)
{
    platform_topology_t* t = b->topo;
    if (t->kinds || n == 0 || n > PLATFORM_MAX_CPUS)
        return platform_fail(PLATFORM_ERR_INVALID_ARGUMENT, "builder_set_kinds: bad kind count %u",
                             n);
    t->kinds = calloc(n, sizeof *t->kinds);
    if (!t->kinds)
        return platform_fail(PLATFORM_ERR_NO_MEMORY, "out of memory allocating core kinds");
    t->n_kinds = n;
    return PLATFORM_OK;
}

void builder_set_kind_name(topo_builder_t* b, uint32_t kind, const char* name)
{
    if (!b || !b->topo || kind >= b->topo->n_kinds || !name)
        return;
    platform_kind_t* k = &b->topo->kinds[kind];
    size_t n = strlen(name);
    if (n >= sizeof k->name)
        n = sizeof k->name - 1;
    memcpy(k->name, name, n);
    k->name[n] = '\0';
}

/* Clusters: the backend's number is only meaningful within a package (and may be an APIC-style
 * id), so clusters are renumbered 0, 1, ... in order of their lowest CPU. */
static platform_status_t number_clusters(platform_topology_t* t)
{
    int64_t* keys = calloc(t->n_cpus ? t->n_cpus : 1, 2 * sizeof *keys);
    if (!keys)
        return platform_fail(PLATFORM_ERR_NO_MEMORY, "out of memory numbering clusters");
    uint32_t n = 0;
    for (uint32_t i = 0; i < t->n_cpus; i++) {
        platform_cpu_t* cpu = &t->cpus[i];
        if (!cpu->online) {
            cpu->cluster = -1;
            continue;
        }
        int64_t pkg = cpu->package, raw = cpu->cluster >= 0 ? cpu->cluster : -1;
        uint32_t k = 0;
        while (k < n && !(keys[2 * k] == pkg && keys[2 * k + 1] == raw))
            k++;
        if (k == n) {
            keys[2 * n] = pkg;
            keys[2 * n + 1] = raw;
            n++;
        }
        cpu->cluster = (int32_t)k;
    }
    free(keys);
    t->n_clusters = n;
    return PLATFORM_OK;
}

static platform_status_t assign_nodes(platform_topology_t* t)
{
    platform_status_t st;
    if (t->n_nodes == 0) {
        platform_cpuset_t all = PLATFORM_CPUSET_EMPTY;
        for (uint32_t i = 0; i < t->n_cpus; i++)
            if (t->cpus[i].online && (st = cpuset_add(&all, t->cpus[i].os_index)) != PLATFORM_OK) {
                cpuset_free(&all);
                return st;
            }
        uint32_t cap = 0;
        st = grow((void**)&t->nodes, &cap, 0, sizeof *t->nodes);
        if (st == PLATFORM_OK) {
            t->nodes[0].os_index = 0;
            t->nodes[0].cpus = all;
            t->n_nodes = 1;
        } else {
            cpuset_free(&all);
            return st;
        }
    }
    /* Sort nodes by OS number (insertion sort: few nodes). */
    for (uint32_t i = 1; i < t->n_nodes; i++) {
        platform_node_t tmp = t->nodes[i];
        uint32_t j = i;
        while (j > 0 && t->nodes[j - 1].os_index > tmp.os_index) {
            t->nodes[j] = t->nodes[j - 1];
            j--;
        }
        t->nodes[j] = tmp;
    }
    /* A CPU that no node lists (a kernel without CONFIG_NUMA lists none) belongs to the first. */
    for (uint32_t i = 0; i < t->n_cpus; i++) {
        platform_cpu_t* cpu = &t->cpus[i];
        if (!cpu->online)
            continue;
        cpu->node = (int32_t)t->nodes[0].os_index;
        for (uint32_t n = 0; n < t->n_nodes; n++)
            if (cpuset_contains(&t->nodes[n].cpus, cpu->os_index)) {
                cpu->node = (int32_t)t->nodes[n].os_index;
                break;
            }
    }
    return PLATFORM_OK;
}

static int cache_before(const platform_cache_t* a, const platform_cache_t* b)
{
    if (a->level != b->level)
        return a->level < b->level;
    if (a->type != b->type)
        return a->type < b->type;
    return cpuset_next(&a->cpus, 0) < cpuset_next(&b->cpus, 0);
}

/* Orders caches by level, type and first CPU so that output does not depend on read order. */
static platform_status_t sort_caches(platform_topology_t* t)
{
    if (t->n_caches < 2)
        return PLATFORM_OK;
    uint32_t* order = malloc(t->n_caches * sizeof *order);
    int32_t* new_pos = malloc(t->n_caches * sizeof *new_pos);
    platform_cache_t* sorted = malloc(t->n_caches * sizeof *sorted);
    if (!order || !new_pos || !sorted) {
        free(order);
        free(new_pos);
        free(sorted);
        return platform_fail(PLATFORM_ERR_NO_MEMORY, "out of memory sorting caches");
    }
    for (uint32_t i = 0; i < t->n_caches; i++) {
        uint32_t j = i;
        while (j > 0 && cache_before(&t->caches[i], &t->caches[order[j - 1]])) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    for (uint32_t i = 0; i < t->n_caches; i++) {
        sorted[i] = t->caches[order[i]];
        new_pos[order[i]] = (int32_t)i;
    }
    for (uint32_t i = 0; i < t->n_cpus; i++)
        for (int s = 0; s < PLATFORM_CACHE_SLOTS; s++)
            if (t->cpus[i].cache[s] >= 0)
                t->cpus[i].cache[s] = new_pos[t->cpus[i].cache[s]];
    free(t->caches);
    t->caches = sorted;
    free(order);
    free(new_pos);
    return PLATFORM_OK;
}

static uint64_t slot_size(const platform_topology_t* t, const platform_cpu_t* cpu, int slot)
{
    return cpu->cache[slot] >= 0 ? t->caches[cpu->cache[slot]].size : 0;
}

static platform_status_t summarize_kinds(platform_topology_t* t)
{
    if (t->n_online && t->n_kinds == 0)
        return platform_fail(PLATFORM_ERR_SOURCE_MALFORMED, "no core kind was derived");
    platform_status_t st;
    for (uint32_t i = 0; i < t->n_cpus; i++) {
        const platform_cpu_t* cpu = &t->cpus[i];
        if (!cpu->online)
            continue;
        if (cpu->kind < 0 || (uint32_t)cpu->kind >= t->n_kinds)
            return platform_fail(PLATFORM_ERR_SOURCE_MALFORMED, "CPU %u has no core kind",
                                 cpu->os_index);
        platform_kind_t* k = &t->kinds[cpu->kind];
        if (k->count++ == 0) {
            k->capacity = cpu->capacity;
            k->max_freq_khz = cpu->max_freq_khz;
            k->midr = cpu->midr;
            k->hybrid = cpu->hybrid;
            k->l1i_size = slot_size(t, cpu, PLATFORM_SLOT_L1I);
            k->l1d_size = slot_size(t, cpu, PLATFORM_SLOT_L1D);
            k->l2_size = slot_size(t, cpu, PLATFORM_SLOT_L2);
            k->l3_size = slot_size(t, cpu, PLATFORM_SLOT_L3);
            k->cpus_per_l2 = cpu->cache[PLATFORM_SLOT_L2] >= 0
                                 ? cpuset_count(&t->caches[cpu->cache[PLATFORM_SLOT_L2]].cpus)
                                 : 0;
        }
        if ((st = cpuset_add(&k->cpus, cpu->os_index)) != PLATFORM_OK)
            return st;
    }
    for (uint32_t k = 0; k < t->n_kinds; k++)
        if (t->kinds[k].count == 0)
            return platform_fail(PLATFORM_ERR_SOURCE_MALFORMED, "core kind %u has no online CPU",
                                 k);
    return PLATFORM_OK;
}

static void count_packages(platform_topology_t* t)
{
    t->n_packages = 0;
    for (uint32_t i = 0; i < t->n_cpus; i++) {
        if (!t->cpus[i].online)
            continue;
        bool seen = false;
        for (uint32_t j = 0; j < i && !seen; j++)
            seen = t->cpus[j].online && t->cpus[j].package == t->cpus[i].package;
        if (!seen)
            t->n_packages++;
    }
}

platform_status_t builder_finish(topo_builder_t* b, platform_topology_t** out)
{
    platform_topology_t* t = b->topo;
    t->n_online = 0;
    for (uint32_t i = 0; i < t->n_cpus; i++)
        t->n_online += t->cpus[i].online;
    if (t->n_online == 0)
        return platform_fail(PLATFORM_ERR_SOURCE_MALFORMED, "no online CPU in %s", t->source);
    platform_status_t st;
    if ((st = number_clusters(t)) != PLATFORM_OK)
        return st;
    if ((st = assign_nodes(t)) != PLATFORM_OK)
        return st;
    if ((st = sort_caches(t)) != PLATFORM_OK)
        return st;
    if ((st = summarize_kinds(t)) != PLATFORM_OK)
        return st;
    count_packages(t);
    if (t->cache_line_size == 0)
        for (uint32_t i = 0; i < t->n_caches; i++)
            if (t->caches[i].type != PLATFORM_CACHE_INSTRUCTION &&
                t->caches[i].line_size > t->cache_line_size)
                t->cache_line_size = t->caches[i].line_size;
    *out = t;
    memset(b, 0, sizeof *b);
    return PLATFORM_OK;
}
