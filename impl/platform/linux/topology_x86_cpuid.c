/*
 * topology_x86_cpuid.c — CPUID probing for the live x86 machine (see the header).
 */
#include "topology_x86_cpuid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linux_backend.h"
#include "vendor/x86_vendor.h"

#if defined(__x86_64__) || defined(__i386__)

#include <cpuid.h>
#include <pthread.h>
#include <sched.h>

bool x86_cpuid_available(void)
{
    return true;
}

static void cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
    __cpuid_count(leaf, subleaf, r[0], r[1], r[2], r[3]);
}

static uint32_t ceil_log2(uint32_t n)
{
    uint32_t bits = 0;
    while ((1u << bits) < n && bits < 31)
        bits++;
    return bits;
}

/* Deterministic cache parameters: leaf 4 (Intel) and 0x8000001D (AMD) share one layout. */
static void read_cache_leaves(uint32_t leaf, x86_cpuid_info_t* out)
{
    for (uint32_t sub = 0; sub < 16 && out->n_caches < X86_MAX_CACHE_LEAVES; sub++) {
        uint32_t r[4];
        cpuid(leaf, sub, r);
        uint32_t type = r[0] & 0x1f;
        if (type == 0)
            break;
        if (type > 3)
            continue;
        x86_cache_leaf_t* c = &out->caches[out->n_caches++];
        c->level = (r[0] >> 5) & 0x7;
        c->type = type == 1   ? PLATFORM_CACHE_DATA
                  : type == 2 ? PLATFORM_CACHE_INSTRUCTION
                              : PLATFORM_CACHE_UNIFIED;
        c->line_size = (r[1] & 0xfff) + 1;
        uint32_t partitions = ((r[1] >> 12) & 0x3ff) + 1;
        c->ways = ((r[1] >> 22) & 0x3ff) + 1;
        uint64_t sets = (uint64_t)r[2] + 1;
        c->size = (uint64_t)c->ways * partitions * c->line_size * sets;
        c->sharing_bits = ceil_log2(((r[0] >> 14) & 0xfff) + 1);
        if ((r[0] >> 9) & 1u)
            c->ways = 0; /* EAX bit 9, fully associative: no way count to report */
    }
}

platform_status_t x86_cpuid_probe_current(x86_cpuid_info_t* out)
{
    if (!out)
        return platform_fail(PLATFORM_ERR_INVALID_ARGUMENT, "x86_cpuid_probe_current: NULL output");
    memset(out, 0, sizeof *out);
    uint32_t r[4];
    cpuid(0, 0, r);
    uint32_t max_leaf = r[0];
    memcpy(out->vendor, &r[1], 4);
    memcpy(out->vendor + 4, &r[3], 4);
    memcpy(out->vendor + 8, &r[2], 4);
    out->vendor[12] = '\0';

    cpuid(0x80000000u, 0, r);
    uint32_t max_ext = r[0];
    if (max_ext >= 0x80000004u) {
        char brand[49];
        for (uint32_t i = 0; i < 3; i++) {
            cpuid(0x80000002u + i, 0, r);
            memcpy(brand + 16 * i, r, 16);
        }
        brand[48] = '\0';
        const char* p = brand;
        while (*p == ' ')
            p++;
        strcpy(out->brand, p);
        for (size_t n = strlen(out->brand); n && out->brand[n - 1] == ' ';)
            out->brand[--n] = '\0';
    }

    cpuid(1, 0, r);
    out->apic_id = r[1] >> 24;
    if (max_leaf >= 0xB) {
        cpuid(0xB, 0, r);
        if (r[1] != 0)
            out->apic_id = r[3]; /* x2APIC id, when the leaf is implemented */
    }
    if (max_leaf >= 7) {
        cpuid(7, 0, r);
        out->hybrid = (r[3] >> 15) & 1u;
    }
    if (out->hybrid && max_leaf >= 0x1A) {
        cpuid(0x1A, 0, r);
        uint32_t type = r[0] >> 24;
        out->core_type = type == 0x40   ? PLATFORM_HYBRID_CORE
                         : type == 0x20 ? PLATFORM_HYBRID_ATOM
                                        : PLATFORM_HYBRID_NONE;
    }

    bool amd_topoext = false;
    if (max_ext >= 0x80000001u) {
        cpuid(0x80000001u, 0, r);
        amd_topoext = (r[2] >> 22) & 1u;
    }
    if (amd_topoext && max_ext >= 0x8000001Du)
        read_cache_leaves(0x8000001Du, out);
    else if (max_leaf >= 4)
        read_cache_leaves(4, out);
    return PLATFORM_OK;
}

typedef struct {
    uint32_t cpu;
    x86_cpuid_info_t* out;
    platform_status_t status;
} probe_job_t;

static void* probe_thread(void* arg)
{
    probe_job_t* job = arg;
    /* The affinity was set at creation; check that it took before trusting the answer. */
    if (sched_getcpu() != (int)job->cpu) {
        job->status = PLATFORM_ERR_UNSUPPORTED;
        return NULL;
    }
    job->status = x86_cpuid_probe_current(job->out);
    return NULL;
}

platform_status_t x86_cpuid_probe_cpu(uint32_t cpu, x86_cpuid_info_t* out)
{
    if (!out || cpu >= CPU_SETSIZE)
        return platform_fail(PLATFORM_ERR_INVALID_ARGUMENT, "x86_cpuid_probe_cpu: bad argument");
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0)
        return platform_fail(PLATFORM_ERR_NO_MEMORY, "pthread_attr_init failed");
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    probe_job_t job = {cpu, out, PLATFORM_ERR_UNSUPPORTED};
    pthread_t thread;
    int rc = pthread_attr_setaffinity_np(&attr, sizeof set, &set);
    if (rc == 0)
        rc = pthread_create(&thread, &attr, probe_thread, &job);
    pthread_attr_destroy(&attr);
    if (rc != 0)
        return platform_fail(PLATFORM_ERR_UNSUPPORTED,
                             "cannot run a thread on CPU %u to read its CPUID", cpu);
    pthread_join(thread, NULL);
    if (job.status != PLATFORM_OK)
        return platform_fail(job.status, "cannot run a thread on CPU %u to read its CPUID", cpu);
    return PLATFORM_OK;
}

/* ---- filling the live table's gaps ------------------------------------------------------------
 */

static bool cpu_has_caches(const platform_cpu_t* cpu)
{
    for (int s = 0; s < PLATFORM_CACHE_SLOTS; s++)
        if (cpu->cache[s] >= 0)
            return true;
    return false;
}

/* Caches of the CPUs sysfs said nothing about. Which CPUs share a cache follows from the APIC
 * ids: those equal above the leaf's sharing bits (Intel SDM, CPUID leaf 4). */
static platform_status_t fill_caches(topo_builder_t* b, const x86_cpuid_info_t* probes,
                                     const bool* probed, bool ignore_sysfs_caches)
{
    platform_topology_t* t = b->topo;
    platform_status_t st = PLATFORM_OK;
    for (uint32_t i = 0; i < t->n_cpus && st == PLATFORM_OK; i++) {
        if (!probed[i] || (!ignore_sysfs_caches && cpu_has_caches(&t->cpus[i])))
            continue;
        for (uint32_t l = 0; l < probes[i].n_caches && st == PLATFORM_OK; l++) {
            const x86_cache_leaf_t* leaf = &probes[i].caches[l];
            platform_cpuset_t shared = PLATFORM_CPUSET_EMPTY;
            uint32_t group = leaf->sharing_bits >= 32 ? 0 : probes[i].apic_id >> leaf->sharing_bits;
            for (uint32_t j = 0; j < t->n_cpus && st == PLATFORM_OK; j++) {
                uint32_t other =
                    leaf->sharing_bits >= 32 ? 0 : probes[j].apic_id >> leaf->sharing_bits;
                if (probed[j] && other == group)
                    st = cpuset_add(&shared, t->cpus[j].os_index);
            }
            if (st == PLATFORM_OK)
                st = builder_add_cpu_cache(b, i, leaf->level, leaf->type, leaf->size,
                                           leaf->line_size, leaf->ways, &shared);
            cpuset_free(&shared);
        }
    }
    return st;
}

platform_status_t topology_x86_fill_live(topo_builder_t* b, bool need_hybrid,
                                         bool ignore_sysfs_caches)
{
    platform_topology_t* t = b->topo;
    x86_cpuid_info_t here;
    platform_status_t st = x86_cpuid_probe_current(&here);
    if (st != PLATFORM_OK)
        return st;
    if (!t->vendor[0]) {
        const char* name = x86_vendor_name(here.vendor);
        snprintf(t->vendor, sizeof t->vendor, "%s", name ? name : here.vendor);
        t->has_prefetcher = name != NULL;
    }
    if (!t->brand[0])
        snprintf(t->brand, sizeof t->brand, "%s", here.brand);

    bool need_caches = ignore_sysfs_caches;
    for (uint32_t i = 0; i < t->n_cpus && !need_caches; i++)
        need_caches = t->cpus[i].online && !cpu_has_caches(&t->cpus[i]);
    bool need_types = need_hybrid && here.hybrid;
    if (!need_caches && !need_types)
        return PLATFORM_OK;

    /* One pinned probe per online CPU: cache sharing needs every CPU's APIC id. A CPU this
     * process may not run on (cpuset cgroup) stays unprobed and keeps what sysfs said. */
    x86_cpuid_info_t* probes = calloc(t->n_cpus, sizeof *probes);
    bool* probed = calloc(t->n_cpus, sizeof *probed);
    if (!probes || !probed) {
        free(probes);
        free(probed);
        return platform_fail(PLATFORM_ERR_NO_MEMORY, "out of memory probing CPUID");
    }
    for (uint32_t i = 0; i < t->n_cpus; i++)
        probed[i] = t->cpus[i].online &&
                    x86_cpuid_probe_cpu(t->cpus[i].os_index, &probes[i]) == PLATFORM_OK;
    if (need_types)
        for (uint32_t i = 0; i < t->n_cpus; i++)
            if (probed[i])
                t->cpus[i].hybrid = probes[i].core_type;
    if (need_caches)
        st = fill_caches(b, probes, probed, ignore_sysfs_caches);
    free(probes);
    free(probed);
    return st;
}

#else /* not x86 */

bool x86_cpuid_available(void)
{
    return false;
}

platform_status_t x86_cpuid_probe_current(x86_cpuid_info_t* out)
{
    (void)out;
    return platform_fail(PLATFORM_ERR_UNSUPPORTED, "CPUID exists only on x86");
}

platform_status_t x86_cpuid_probe_cpu(uint32_t cpu, x86_cpuid_info_t* out)
{
    (void)cpu;
    (void)out;
    return platform_fail(PLATFORM_ERR_UNSUPPORTED, "CPUID exists only on x86");
}

/* Nothing to fill: the live table of a non-x86 machine comes from sysfs alone. */
platform_status_t topology_x86_fill_live(topo_builder_t* b, bool need_hybrid,
                                         bool ignore_sysfs_caches)
{
    (void)b;
    (void)need_hybrid;
    (void)ignore_sysfs_caches;
    return PLATFORM_OK;
}

#endif
