/*
 * topology_darwin.c — the macOS backend: the table from sysctl keys.
 *
 * Keys: hw.logicalcpu (hw.ncpu), hw.nperflevels, hw.perflevelN.{logicalcpu,physicalcpu,
 * l1icachesize,l1dcachesize,l2cachesize,cpusperl2,name}, hw.cachelinesize, hw.cpufamily,
 * hw.cpusubfamily, machdep.cpu.brand_string, hw.optional.arm.FEAT_LSE (older systems:
 * hw.optional.armv8_1_atomics), hw.optional.arm.FEAT_SME, hw.optional.arm64; without perflevels
 * the generic hw.l1icachesize, hw.l1dcachesize, hw.l2cachesize, hw.l3cachesize, hw.cacheconfig.
 *
 * Facts this code relies on:
 *  - perflevel 0 is the fastest kind, so the perflevel index is the kind rank. Levels are keyed
 *    by index only: their names differ between chips (M5), so a name is a label, never a test.
 *  - macOS numbers the slowest kind's CPUs first (E cores are CPUs 0..nE-1).
 *  - hw.l1dcachesize and friends describe the slowest kind, so with perflevels they are ignored.
 *  - hw.cachelinesize is 128 on Apple Silicon; it is the line size of every cache here.
 *  - cpusperl2 consecutive CPUs of a level share one L2: that group is a cluster.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "darwin_backend.h"
#include "vendor/apple_generation.h"
#include "vendor/x86_vendor.h"

#define MAX_PERFLEVELS 16
#define CPU_TYPE_ARM64 16777228 /* CPU_TYPE_ARM | CPU_ARCH_ABI64, as hw.cputype prints it */

typedef struct {
    const sysctl_source_t* sc;
    topo_builder_t* b;
    uint32_t line_size;
} darwin_scan_t;

/* Integer key in [min, max]; *found false when absent. */
static platform_status_t get_ranged(darwin_scan_t* s, const char* name, int64_t min, int64_t max,
                                    bool* found, int64_t* value)
{
    platform_status_t st = s->sc->get_int(s->sc, name, found, value);
    if (st != PLATFORM_OK || !*found)
        return st;
    if (*value < min || *value > max)
        return platform_fail(PLATFORM_ERR_SOURCE_MALFORMED,
                             "sysctl %s: %lld is out of range [%lld, %lld]", name,
                             (long long)*value, (long long)min, (long long)max);
    return PLATFORM_OK;
}

static platform_status_t get_level_key(darwin_scan_t* s, uint32_t level, const char* key,
                                       int64_t max, bool* found, int64_t* value)
{
    char name[64];
    snprintf(name, sizeof name, "hw.perflevel%u.%s", level, key);
    return get_ranged(s, name, 0, max, found, value);
}

static bool flag_set(darwin_scan_t* s, const char* name)
{
    bool found = false;
    int64_t v = 0;
    return s->sc->get_int(s->sc, name, &found, &v) == PLATFORM_OK && found && v != 0;
}

/* Consecutive CPUs [first, last] of the group of `per` that CPU `cpu` belongs to within
 * [base, base+count). */
static platform_status_t group_of(uint32_t base, uint32_t count, uint32_t per, uint32_t cpu,
                                  platform_cpuset_t* out)
{
    uint32_t group_first = base + (cpu - base) / per * per;
    uint32_t group_last = group_first + per - 1;
    if (group_last >= base + count)
        group_last = base + count - 1;
    return cpuset_add_range(out, group_first, group_last);
}

/* Adds CPUs [first, first+count) of kind `kind`: an L1 per `per_l1` CPUs (1 on Apple Silicon, 2 on
 * Intel Macs with Hyper-Threading) and an L2 per `per_l2` CPUs, which is also a cluster.
 * Returns the number of clusters used through *clusters. */
static platform_status_t add_cpus(darwin_scan_t* s, uint32_t first, uint32_t count, int32_t kind,
                                  uint64_t l1i, uint64_t l1d, uint64_t l2, uint32_t per_l1,
                                  uint32_t per_l2, int32_t cluster_base, uint32_t* clusters)
{
    platform_status_t st = PLATFORM_OK;
    if (per_l1 == 0 || per_l1 > count)
        per_l1 = 1;
    if (per_l2 == 0 || per_l2 > count)
        per_l2 = count;
    for (uint32_t k = 0; k < count && st == PLATFORM_OK; k++) {
        uint32_t index;
        if ((st = builder_add_cpu(s->b, first + k, true, &index)) != PLATFORM_OK)
            break;
        platform_cpu_t* cpu = &s->b->topo->cpus[index];
        cpu->kind = kind;
        cpu->package = 0;
        cpu->cluster = cluster_base + (int32_t)(k / per_l2);
        platform_cpuset_t l1_group = PLATFORM_CPUSET_EMPTY, l2_group = PLATFORM_CPUSET_EMPTY;
        st = group_of(first, count, per_l1, first + k, &l1_group);
        if (st == PLATFORM_OK)
            st = group_of(first, count, per_l2, first + k, &l2_group);
        if (st == PLATFORM_OK && l1i)
            st = builder_add_cpu_cache(s->b, index, 1, PLATFORM_CACHE_INSTRUCTION, l1i,
                                       s->line_size, 0, &l1_group);
        if (st == PLATFORM_OK && l1d)
            st = builder_add_cpu_cache(s->b, index, 1, PLATFORM_CACHE_DATA, l1d, s->line_size, 0,
                                       &l1_group);
        if (st == PLATFORM_OK && l2)
            st = builder_add_cpu_cache(s->b, index, 2, PLATFORM_CACHE_UNIFIED, l2, s->line_size, 0,
                                       &l2_group);
        cpuset_free(&l1_group);
        cpuset_free(&l2_group);
    }
    *clusters = (count + per_l2 - 1) / per_l2;
    return st;
}

static platform_status_t scan_perflevels(darwin_scan_t* s, uint32_t ncpu, uint32_t nlevels)
{
    uint32_t counts[MAX_PERFLEVELS], total = 0;
    bool found;
    int64_t v;
    platform_status_t st;
    for (uint32_t level = 0; level < nlevels; level++) {
        if ((st = get_level_key(s, level, "logicalcpu", PLATFORM_MAX_CPUS, &found, &v)) !=
            PLATFORM_OK)
            return st;
        if (!found && (st = get_level_key(s, level, "physicalcpu", PLATFORM_MAX_CPUS, &found,
                                          &v)) != PLATFORM_OK)
            return st;
        if (!found || v == 0)
            return platform_fail(PLATFORM_ERR_SOURCE_MALFORMED,
                                 "hw.perflevel%u has no CPUs (logicalcpu)", level);
        counts[level] = (uint32_t)v;
        total += counts[level];
    }
    if (total != ncpu)
        return platform_fail(PLATFORM_ERR_SOURCE_MALFORMED,
                             "perflevel CPU counts add up to %u, hw.logicalcpu is %u", total, ncpu);
    if ((st = builder_set_kinds(s->b, nlevels)) != PLATFORM_OK)
        return st;

    uint32_t next_cpu = 0;
    int32_t next_cluster = 0;
    for (uint32_t level = nlevels;
         level-- > 0;) { /* slowest level first: E cores are numbered first */
        int64_t l1i = 0, l1d = 0, l2 = 0, per_l2 = 0;
        const int64_t max_size = INT64_C(1) << 40;
        if ((st = get_level_key(s, level, "l1icachesize", max_size, &found, &l1i)) ||
            (st = get_level_key(s, level, "l1dcachesize", max_size, &found, &l1d)) ||
            (st = get_level_key(s, level, "l2cachesize", max_size, &found, &l2)) ||
            (st = get_level_key(s, level, "cpusperl2", PLATFORM_MAX_CPUS, &found, &per_l2)))
            return st;
        uint32_t clusters;
        st = add_cpus(s, next_cpu, counts[level], (int32_t)level, (uint64_t)l1i, (uint64_t)l1d,
                      (uint64_t)l2, 1, (uint32_t)per_l2, next_cluster, &clusters);
        if (st != PLATFORM_OK)
            return st;
        next_cpu += counts[level];
        next_cluster += (int32_t)clusters;

        char key[64], name[32];
        snprintf(key, sizeof key, "hw.perflevel%u.name", level);
        if ((st = s->sc->get_string(s->sc, key, &found, name, sizeof name)) != PLATFORM_OK)
            return st;
        if (found)
            builder_set_kind_name(s->b, level, name);
    }
    return PLATFORM_OK;
}

/* hw.cacheconfig: "memory L1 L2 L3 ..." = how many CPUs share each level. */
static uint32_t cacheconfig_sharing(darwin_scan_t* s, uint32_t level, uint32_t fallback)
{
    char text[256];
    bool found;
    if (s->sc->get_string(s->sc, "hw.cacheconfig", &found, text, sizeof text) != PLATFORM_OK ||
        !found)
        return fallback;
    char* p = text;
    for (uint32_t i = 0; i <= level; i++) {
        char* end;
        unsigned long v = strtoul(p, &end, 10);
        if (end == p)
            return fallback;
        if (i == level)
            return v ? (uint32_t)v : fallback;
        p = end;
    }
    return fallback;
}

/* Machines without perflevels (Intel Macs, early Apple Silicon releases): one kind. */
static platform_status_t scan_single_level(darwin_scan_t* s, uint32_t ncpu)
{
    const int64_t max_size = INT64_C(1) << 40;
    int64_t l1i = 0, l1d = 0, l2 = 0, l3 = 0;
    bool found;
    platform_status_t st;
    if ((st = get_ranged(s, "hw.l1icachesize", 0, max_size, &found, &l1i)) ||
        (st = get_ranged(s, "hw.l1dcachesize", 0, max_size, &found, &l1d)) ||
        (st = get_ranged(s, "hw.l2cachesize", 0, max_size, &found, &l2)) ||
        (st = get_ranged(s, "hw.l3cachesize", 0, max_size, &found, &l3)))
        return st;
    if ((st = builder_set_kinds(s->b, 1)) != PLATFORM_OK)
        return st;
    uint32_t clusters;
    /* Without hw.cacheconfig: private L1s, and an L2 shared by all CPUs as on an Apple Silicon
     * cluster. */
    st = add_cpus(s, 0, ncpu, 0, (uint64_t)l1i, (uint64_t)l1d, (uint64_t)l2,
                  cacheconfig_sharing(s, 1, 1), cacheconfig_sharing(s, 2, ncpu), 0, &clusters);
    if (st != PLATFORM_OK || l3 == 0)
        return st;
    uint32_t per_l3 = cacheconfig_sharing(s, 3, ncpu);
    if (per_l3 > ncpu)
        per_l3 = ncpu;
    for (uint32_t cpu = 0; cpu < ncpu && st == PLATFORM_OK; cpu++) {
        platform_cpuset_t group = PLATFORM_CPUSET_EMPTY;
        st = group_of(0, ncpu, per_l3, cpu, &group);
        if (st == PLATFORM_OK)
            st = builder_add_cpu_cache(s->b, cpu, 3, PLATFORM_CACHE_UNIFIED, (uint64_t)l3,
                                       s->line_size, 0, &group);
        cpuset_free(&group);
    }
    return st;
}

static platform_status_t machine_facts(darwin_scan_t* s)
{
    platform_topology_t* t = s->b->topo;
    bool found;
    int64_t v;
    platform_status_t st;
    if ((st = s->sc->get_string(s->sc, "machdep.cpu.brand_string", &found, t->brand,
                                sizeof t->brand)))
        return st;
    if (!found)
        t->brand[0] = '\0';

    bool arm64 = flag_set(s, "hw.optional.arm64");
    if ((st = s->sc->get_int(s->sc, "hw.cputype", &found, &v)))
        return st;
    arm64 |= found && v == CPU_TYPE_ARM64;
    if (arm64) {
        snprintf(t->vendor, sizeof t->vendor, "Apple");
        t->has_prefetcher = true;
    } else {
        char vendor_id[32];
        if ((st = s->sc->get_string(s->sc, "machdep.cpu.vendor", &found, vendor_id,
                                    sizeof vendor_id)))
            return st;
        const char* name = found ? x86_vendor_name(vendor_id) : NULL;
        snprintf(t->vendor, sizeof t->vendor, "%s", name ? name : found ? vendor_id : "");
        t->has_prefetcher = name != NULL;
    }

    apple_chip_t chip = {0, ""};
    if (arm64) {
        int64_t family = 0, subfamily = 0;
        bool have_family, have_subfamily;
        if ((st = s->sc->get_int(s->sc, "hw.cpufamily", &have_family, &family)) ||
            (st = s->sc->get_int(s->sc, "hw.cpusubfamily", &have_subfamily, &subfamily)))
            return st;
        if (have_family && apple_chip_from_cpufamily(family, &chip)) {
            const char* variant = have_subfamily ? apple_variant_from_subfamily(subfamily) : NULL;
            if (variant)
                chip.variant = variant;
        } else if (!apple_chip_from_brand(t->brand, &chip)) {
            chip.generation =
                0; /* e.g. a dump with neither hw.cpufamily nor an "Apple M<n>" brand */
            chip.variant = "";
        }
    }
    t->apple_generation = chip.generation;
    snprintf(t->apple_variant, sizeof t->apple_variant, "%s", chip.variant);
    t->has_amx = apple_generation_has_amx(chip.generation);

    bool have_lse;
    if ((st = s->sc->get_int(s->sc, "hw.optional.arm.FEAT_LSE", &have_lse, &v)))
        return st;
    t->has_lse = have_lse ? v != 0 : flag_set(s, "hw.optional.armv8_1_atomics");
    t->has_sme = flag_set(s, "hw.optional.arm.FEAT_SME");
    t->cache_line_size = s->line_size;
    return PLATFORM_OK;
}

static platform_status_t scan(darwin_scan_t* s)
{
    bool found;
    int64_t v;
    platform_status_t st = get_ranged(s, "hw.cachelinesize", 0, 1 << 16, &found, &v);
    if (st != PLATFORM_OK)
        return st;
    s->line_size = found ? (uint32_t)v : 0;

    int64_t ncpu = 0;
    static const char* const ncpu_keys[] = {"hw.logicalcpu", "hw.ncpu", "machdep.cpu.thread_count"};
    found = false;
    for (size_t i = 0; i < sizeof ncpu_keys / sizeof ncpu_keys[0] && !found; i++)
        if ((st = get_ranged(s, ncpu_keys[i], 1, PLATFORM_MAX_CPUS, &found, &ncpu)) != PLATFORM_OK)
            return st;
    if (!found)
        return platform_fail(PLATFORM_ERR_SOURCE_MALFORMED,
                             "no CPU count (hw.logicalcpu or hw.ncpu)");

    int64_t nlevels = 0;
    if ((st = get_ranged(s, "hw.nperflevels", 0, MAX_PERFLEVELS, &found, &nlevels)) != PLATFORM_OK)
        return st;
    st = nlevels > 0 ? scan_perflevels(s, (uint32_t)ncpu, (uint32_t)nlevels)
                     : scan_single_level(s, (uint32_t)ncpu);
    if (st != PLATFORM_OK)
        return st;
    return machine_facts(s);
}

platform_status_t topology_darwin_build(const sysctl_source_t* sysctls, platform_source_kind_t kind,
                                        const char* source_text, platform_topology_t** out)
{
    if (!sysctls || !source_text || !out)
        return platform_fail(PLATFORM_ERR_INVALID_ARGUMENT, "topology_darwin_build: NULL argument");
    *out = NULL;
    topo_builder_t b;
    platform_status_t st = builder_begin(&b, kind, source_text);
    if (st != PLATFORM_OK)
        return st;
    darwin_scan_t s = {sysctls, &b, 0};
    st = scan(&s);
    if (st == PLATFORM_OK)
        st = builder_finish(&b, out);
    if (st != PLATFORM_OK)
        builder_discard(&b);
    return st;
}

static platform_status_t darwin_backend_build(const platform_source_t* source,
                                              platform_topology_t** out)
{
    bool live = source->kind == PLATFORM_SOURCE_LIVE_DARWIN;
    sysctl_source_t sc;
    platform_status_t st =
        live ? sysctl_source_open_live(&sc) : sysctl_source_open_file(source->path, &sc);
    if (st != PLATFORM_OK)
        return st;
    char* text = NULL;
    if (live)
        text = strdup("live-darwin");
    else if (asprintf(&text, "replay-sysctl:%s", source->path) < 0)
        text = NULL;
    st = text ? topology_darwin_build(&sc, source->kind, text, out)
              : platform_fail(PLATFORM_ERR_NO_MEMORY, "out of memory naming the source");
    free(text);
    sc.close(&sc);
    return st;
}

const topology_backend_t topology_backend_darwin = {
    .name = "darwin",
    .live_kind = PLATFORM_SOURCE_LIVE_DARWIN,
    .replay_kind = PLATFORM_SOURCE_REPLAY_SYSCTL,
    .replay_path = "a file",
    .build = darwin_backend_build,
};
