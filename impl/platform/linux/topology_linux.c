/*
 * topology_linux.c — the Linux backend: /sys and /proc, live or under a recorded root.
 *
 * Reads (all relative to the root):
 *   /sys/devices/system/cpu/{present,possible,online}, cpuN/online
 *   cpuN/topology/{physical_package_id,cluster_id}, cpuN/cpu_capacity,
 *   cpuN/regs/identification/midr_el1, cpuN/cpufreq/{cpuinfo_max_freq,base_frequency,related_cpus}
 *   cpuN/cache/indexM/{level,type,size,coherency_line_size,ways_of_associativity,shared_cpu_list}
 *   /sys/devices/system/node/nodeK/cpulist
 *   /sys/devices/cpu_core/cpus, /sys/devices/cpu_atom/cpus   (Intel hybrid)
 *   /proc/cpuinfo                                            (see linux_cpuinfo.h)
 * Kinds are ranked in platform_kinds.c; CPUID fills gaps on the live x86 machine only.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__linux__) && defined(__aarch64__)
#include <asm/hwcap.h>
#include <sys/auxv.h>
#endif

#include "linux_backend.h"
#include "linux_cpuinfo.h"
#include "linux_files.h"
#include "platform_kinds.h"
#include "vendor/apple_generation.h"
#include "vendor/arm_midr.h"
#include "vendor/x86_vendor.h"

#define CPU_DIR "/sys/devices/system/cpu"
#define MAX_CACHE_INDEX 32

typedef struct {
    linux_root_t root;
    bool live;
    const linux_backend_options_t* options;
    topo_builder_t* b;
    linux_cpuinfo_t cpuinfo;
    bool have_hybrid_files;
} linux_scan_t;

/* ---- which CPUs exist and which are online ------------------------------------------------ */

static platform_status_t scan_cpu_dirs(linux_scan_t* s, platform_cpuset_t* out)
{
    char path[LINUX_PATH_MAX];
    if (!linux_path(&s->root, path, sizeof path, CPU_DIR))
        return PLATFORM_OK;
    DIR* dir = opendir(path);
    if (!dir)
        return PLATFORM_OK;
    platform_status_t st = PLATFORM_OK;
    struct dirent* e;
    while (st == PLATFORM_OK && (e = readdir(dir)) != NULL) {
        unsigned cpu;
        char tail;
        if (sscanf(e->d_name, "cpu%u%c", &cpu, &tail) == 1)
            st = cpuset_add(out, cpu);
    }
    closedir(dir);
    return st;
}

static platform_status_t read_cpu_sets(linux_scan_t* s, platform_cpuset_t* present,
                                       platform_cpuset_t* online)
{
    bool found = false;
    platform_status_t st = linux_read_cpulist(&s->root, &found, present, CPU_DIR "/present");
    if (st == PLATFORM_OK && !found)
        st = linux_read_cpulist(&s->root, &found, present, CPU_DIR "/possible");
    if (st == PLATFORM_OK && !found)
        st = scan_cpu_dirs(s, present);
    if (st != PLATFORM_OK)
        return st;

    bool online_found;
    st = linux_read_cpulist(&s->root, &online_found, online, CPU_DIR "/online");
    if (st != PLATFORM_OK)
        return st;
    if (!online_found) {
        /* No global list: each cpuN/online says "0" when offline; CPUs that cannot be taken
         * offline (usually cpu0) have no such file and are online. */
        for (int64_t c = cpuset_next(present, 0); c >= 0;
             c = cpuset_next(present, (uint32_t)c + 1)) {
            uint64_t flag = 1;
            bool has;
            if ((st = linux_read_u64(&s->root, &has, &flag, CPU_DIR "/cpu%lld/online",
                                     (long long)c)) != PLATFORM_OK)
                return st;
            if (flag != 0 && (st = cpuset_add(online, (uint32_t)c)) != PLATFORM_OK)
                return st;
        }
    }
    /* An online CPU is present even if the present list forgot it. */
    for (int64_t c = cpuset_next(online, 0); c >= 0; c = cpuset_next(online, (uint32_t)c + 1))
        if ((st = cpuset_add(present, (uint32_t)c)) != PLATFORM_OK)
            return st;
    if (cpuset_count(online) == 0)
        return platform_fail(PLATFORM_ERR_SOURCE_UNREADABLE,
                             "no online CPU listed under %s" CPU_DIR, s->live ? "" : s->root.root);
    return PLATFORM_OK;
}

/* ---- per-CPU facts --------------------------------------------------------------------------- */

static platform_cache_type_t parse_cache_type(const char* text, bool* known)
{
    *known = true;
    if (strcmp(text, "Data") == 0)
        return PLATFORM_CACHE_DATA;
    if (strcmp(text, "Instruction") == 0)
        return PLATFORM_CACHE_INSTRUCTION;
    if (strcmp(text, "Unified") == 0)
        return PLATFORM_CACHE_UNIFIED;
    *known = false;
    return PLATFORM_CACHE_UNIFIED;
}

static platform_status_t read_cpu_caches(linux_scan_t* s, uint32_t index, uint32_t os)
{
    platform_status_t st = PLATFORM_OK;
    for (uint32_t i = 0; i < MAX_CACHE_INDEX && st == PLATFORM_OK; i++) {
        bool found, known;
        uint64_t level = 0, size = 0, line = 0, ways = 0;
        if ((st = linux_read_u64(&s->root, &found, &level, CPU_DIR "/cpu%u/cache/index%u/level", os,
                                 i)) != PLATFORM_OK)
            return st;
        if (!found)
            break; /* indices are contiguous */
        char type_text[32];
        if (!linux_read_text(&s->root, type_text, sizeof type_text,
                             CPU_DIR "/cpu%u/cache/index%u/type", os, i))
            continue;
        platform_cache_type_t type = parse_cache_type(type_text, &known);
        if (!known || level == 0 || level > 8)
            continue;
        if ((st = linux_read_size(&s->root, &found, &size, CPU_DIR "/cpu%u/cache/index%u/size", os,
                                  i)) ||
            (st = linux_read_u64(&s->root, &found, &line,
                                 CPU_DIR "/cpu%u/cache/index%u/coherency_line_size", os, i)) ||
            (st = linux_read_u64(&s->root, &found, &ways,
                                 CPU_DIR "/cpu%u/cache/index%u/ways_of_associativity", os, i)))
            return st;
        platform_cpuset_t shared = PLATFORM_CPUSET_EMPTY;
        st = linux_read_cpulist(&s->root, &found, &shared,
                                CPU_DIR "/cpu%u/cache/index%u/shared_cpu_list", os, i);
        if (st == PLATFORM_OK)
            st = cpuset_add(&shared, os); /* a CPU always shares its own cache */
        if (st == PLATFORM_OK)
            st = builder_add_cpu_cache(s->b, index, (uint32_t)level, type, size,
                                       line > UINT32_MAX ? 0 : (uint32_t)line,
                                       ways > UINT32_MAX ? 0 : (uint32_t)ways, &shared);
        cpuset_free(&shared);
    }
    return st;
}

static uint32_t clamp_u32(uint64_t v)
{
    return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static platform_status_t read_cpu_facts(linux_scan_t* s, uint32_t index)
{
    platform_cpu_t* cpu = &s->b->topo->cpus[index];
    uint32_t os = cpu->os_index;
    bool found;
    int64_t i64;
    uint64_t u64;
    platform_status_t st;

    if ((st = linux_read_i64(&s->root, &found, &i64, CPU_DIR "/cpu%u/topology/physical_package_id",
                             os)))
        return st;
    cpu->package = found && i64 >= 0 && i64 <= INT32_MAX ? (int32_t)i64 : 0;
    /* cluster_id: -1 on arm64 and 65535 (BAD_APICID) on x86 mean "no cluster known". */
    if ((st = linux_read_i64(&s->root, &found, &i64, CPU_DIR "/cpu%u/topology/cluster_id", os)))
        return st;
    cpu->cluster = found && i64 >= 0 && i64 < 65535 ? (int32_t)i64 : -1;
    if ((st = linux_read_u64(&s->root, &found, &u64, CPU_DIR "/cpu%u/cpu_capacity", os)))
        return st;
    cpu->capacity = found ? clamp_u32(u64) : 0;
    if ((st = linux_read_u64(&s->root, &found, &u64, CPU_DIR "/cpu%u/regs/identification/midr_el1",
                             os)))
        return st;
    if (found)
        cpu->midr = (uint32_t)u64;
    else if (!linux_cpuinfo_midr(&s->cpuinfo, os, &cpu->midr))
        cpu->midr = 0;
    if ((st =
             linux_read_u64(&s->root, &found, &u64, CPU_DIR "/cpu%u/cpufreq/cpuinfo_max_freq", os)))
        return st;
    cpu->max_freq_khz = found ? clamp_u32(u64) : 0;
    if ((st = linux_read_u64(&s->root, &found, &u64, CPU_DIR "/cpu%u/cpufreq/base_frequency", os)))
        return st;
    cpu->base_freq_khz = found ? clamp_u32(u64) : 0;
    if (s->options && s->options->ignore_sysfs_caches && s->live)
        return PLATFORM_OK;
    return read_cpu_caches(s, index, os);
}

/* Old kernels give cpufreq only to the first CPU of a policy; its related_cpus names the rest. */
static platform_status_t inherit_frequencies(linux_scan_t* s)
{
    platform_topology_t* t = s->b->topo;
    platform_status_t st = PLATFORM_OK;
    for (uint32_t i = 0; i < t->n_cpus && st == PLATFORM_OK; i++) {
        const platform_cpu_t* owner = &t->cpus[i];
        if (!owner->online || owner->max_freq_khz == 0)
            continue;
        platform_cpuset_t related = PLATFORM_CPUSET_EMPTY;
        bool found;
        st = linux_read_cpulist(&s->root, &found, &related, CPU_DIR "/cpu%u/cpufreq/related_cpus",
                                owner->os_index);
        for (uint32_t j = 0; st == PLATFORM_OK && found && j < t->n_cpus; j++) {
            platform_cpu_t* other = &t->cpus[j];
            if (other->online && other->max_freq_khz == 0 &&
                cpuset_contains(&related, other->os_index)) {
                other->max_freq_khz = owner->max_freq_khz;
                other->base_freq_khz = owner->base_freq_khz;
            }
        }
        cpuset_free(&related);
    }
    return st;
}

static platform_status_t read_hybrid_classes(linux_scan_t* s)
{
    platform_cpuset_t core = PLATFORM_CPUSET_EMPTY, atom = PLATFORM_CPUSET_EMPTY;
    bool has_core, has_atom;
    platform_status_t st =
        linux_read_cpulist(&s->root, &has_core, &core, "/sys/devices/cpu_core/cpus");
    if (st == PLATFORM_OK)
        st = linux_read_cpulist(&s->root, &has_atom, &atom, "/sys/devices/cpu_atom/cpus");
    if (st == PLATFORM_OK && has_core && has_atom) {
        s->have_hybrid_files = true;
        platform_topology_t* t = s->b->topo;
        for (uint32_t i = 0; i < t->n_cpus; i++) {
            platform_cpu_t* cpu = &t->cpus[i];
            cpu->hybrid = cpuset_contains(&core, cpu->os_index)   ? PLATFORM_HYBRID_CORE
                          : cpuset_contains(&atom, cpu->os_index) ? PLATFORM_HYBRID_ATOM
                                                                  : PLATFORM_HYBRID_NONE;
        }
    }
    cpuset_free(&core);
    cpuset_free(&atom);
    return st;
}

/* ---- NUMA nodes --------------------------------------------------------------------------- */

static platform_status_t read_nodes(linux_scan_t* s)
{
    char path[LINUX_PATH_MAX];
    if (!linux_path(&s->root, path, sizeof path, "/sys/devices/system/node"))
        return PLATFORM_OK;
    DIR* dir = opendir(path);
    if (!dir)
        return PLATFORM_OK; /* kernel without CONFIG_NUMA: builder_finish makes node 0 */
    platform_status_t st = PLATFORM_OK;
    struct dirent* e;
    while (st == PLATFORM_OK && (e = readdir(dir)) != NULL) {
        unsigned node;
        char tail;
        if (sscanf(e->d_name, "node%u%c", &node, &tail) != 1)
            continue;
        platform_cpuset_t cpus = PLATFORM_CPUSET_EMPTY;
        bool found;
        st = linux_read_cpulist(&s->root, &found, &cpus, "/sys/devices/system/node/node%u/cpulist",
                                node);
        if (st == PLATFORM_OK)
            st = builder_add_node(s->b, node, &cpus);
        cpuset_free(&cpus);
    }
    closedir(dir);
    return st;
}

/* ---- clusters ------------------------------------------------------------------------------- */

/* Without cluster_id, arm64 kernels before 5.16 reported the device tree's cluster as the
 * package, so on ARM the package is the cluster; elsewhere a cluster is the set of CPUs sharing
 * an L2 (the kernel's own definition on x86). The number only needs to be equal within a
 * cluster: builder_finish renumbers. */
static void derive_clusters(linux_scan_t* s)
{
    platform_topology_t* t = s->b->topo;
    for (uint32_t i = 0; i < t->n_cpus; i++) {
        platform_cpu_t* cpu = &t->cpus[i];
        if (!cpu->online || cpu->cluster >= 0)
            continue;
        if (cpu->midr == 0 && cpu->cache[PLATFORM_SLOT_L2] >= 0) {
            int64_t first = cpuset_next(&t->caches[cpu->cache[PLATFORM_SLOT_L2]].cpus, 0);
            cpu->cluster = first >= 0 ? (int32_t)first : -1;
        }
    }
}

/* ---- machine-wide facts -------------------------------------------------------------------- */

static void copy_string(char* dst, size_t len, const char* src)
{
    snprintf(dst, len, "%s", src);
}

static bool read_live_lse(void)
{
#if defined(__linux__) && defined(__aarch64__)
    return (getauxval(AT_HWCAP) & HWCAP_ATOMICS) != 0;
#else
    return false; /* LSE is an ARMv8.1 feature: no other architecture has it */
#endif
}

static void machine_facts(linux_scan_t* s)
{
    platform_topology_t* t = s->b->topo;
    const platform_cpu_t* first = NULL;
    for (uint32_t i = 0; i < t->n_cpus && !first; i++)
        if (t->cpus[i].online)
            first = &t->cpus[i];

    const char* vendor = s->cpuinfo.vendor_id[0] ? x86_vendor_name(s->cpuinfo.vendor_id) : NULL;
    if (s->cpuinfo.vendor_id[0])
        copy_string(t->vendor, sizeof t->vendor, vendor ? vendor : s->cpuinfo.vendor_id);
    else if (first && first->midr) {
        vendor = arm_implementer_name(midr_implementer(first->midr));
        if (vendor)
            copy_string(t->vendor, sizeof t->vendor, vendor);
    }
    t->has_prefetcher = vendor != NULL;

    for (uint32_t i = 0; i < t->n_cpus; i++) {
        apple_chip_t chip;
        const platform_cpu_t* cpu = &t->cpus[i];
        if (cpu->online && midr_implementer(cpu->midr) == APPLE_MIDR_IMPLEMENTER &&
            apple_chip_from_midr_part(midr_part(cpu->midr), &chip, NULL)) {
            t->apple_generation = chip.generation;
            copy_string(t->apple_variant, sizeof t->apple_variant, chip.variant);
            break;
        }
    }
    t->has_amx = apple_generation_has_amx(t->apple_generation);

    if (s->cpuinfo.model_name[0])
        copy_string(t->brand, sizeof t->brand, s->cpuinfo.model_name);
    else if (s->cpuinfo.processor_name[0])
        copy_string(t->brand, sizeof t->brand, s->cpuinfo.processor_name);
    else if (t->apple_generation)
        snprintf(t->brand, sizeof t->brand, "Apple M%u%s%s", t->apple_generation,
                 t->apple_variant[0] ? " " : "", t->apple_variant);

    if (s->live)
        t->has_lse = read_live_lse();
    else
        t->has_lse =
            s->cpuinfo.features_lines > 0 && s->cpuinfo.atomics_lines == s->cpuinfo.features_lines;
}

/* ---- the backend ------------------------------------------------------------------------------
 */

static platform_status_t scan(linux_scan_t* s)
{
    platform_cpuset_t present = PLATFORM_CPUSET_EMPTY, online = PLATFORM_CPUSET_EMPTY;
    platform_status_t st = read_cpu_sets(s, &present, &online);
    if (st == PLATFORM_OK)
        st = linux_cpuinfo_read(&s->root, &s->cpuinfo);
    for (int64_t c = cpuset_next(&present, 0); st == PLATFORM_OK && c >= 0;
         c = cpuset_next(&present, (uint32_t)c + 1))
        st = builder_add_cpu(s->b, (uint32_t)c, cpuset_contains(&online, (uint32_t)c), NULL);
    cpuset_free(&present);
    cpuset_free(&online);
    if (st != PLATFORM_OK)
        return st;
    /* Nothing is owned from here on: each step returns its failure at once. */
    for (uint32_t i = 0; i < s->b->topo->n_cpus; i++)
        if (s->b->topo->cpus[i].online && (st = read_cpu_facts(s, i)) != PLATFORM_OK)
            return st;
    if ((st = inherit_frequencies(s)) != PLATFORM_OK)
        return st;
    if ((st = read_hybrid_classes(s)) != PLATFORM_OK)
        return st;
    if ((st = read_nodes(s)) != PLATFORM_OK)
        return st;
    machine_facts(s);
    if (s->live) {
        bool ignore_sysfs_caches = s->options && s->options->ignore_sysfs_caches;
        st = topology_x86_fill_live(s->b, !s->have_hybrid_files, ignore_sysfs_caches);
        if (st != PLATFORM_OK)
            return st;
    }
    derive_clusters(s);
    return platform_rank_kinds(s->b);
}

platform_status_t topology_linux_build(const char* root_dir, const linux_backend_options_t* options,
                                       platform_topology_t** out)
{
    if (!out)
        return platform_fail(PLATFORM_ERR_INVALID_ARGUMENT, "topology_linux_build: NULL output");
    *out = NULL;
    linux_scan_t s;
    memset(&s, 0, sizeof s);
    s.live = root_dir == NULL;
    s.options = options;
    platform_status_t st = linux_root_init(&s.root, root_dir);
    if (st != PLATFORM_OK)
        return st;

    char* source_text = NULL;
    if (s.live)
        source_text = strdup("live-linux");
    else if (asprintf(&source_text, "replay-sysfs:%s", root_dir) < 0)
        source_text = NULL;
    if (!source_text)
        return platform_fail(PLATFORM_ERR_NO_MEMORY, "out of memory naming the source");

    topo_builder_t b;
    st = builder_begin(&b, s.live ? PLATFORM_SOURCE_LIVE_LINUX : PLATFORM_SOURCE_REPLAY_SYSFS,
                       source_text);
    free(source_text);
    if (st != PLATFORM_OK)
        return st;
    s.b = &b;
    st = scan(&s);
    if (st == PLATFORM_OK)
        st = builder_finish(&b, out);
    if (st != PLATFORM_OK)
        builder_discard(&b);
    linux_cpuinfo_free(&s.cpuinfo);
    return st;
}

static platform_status_t linux_backend_build(const platform_source_t* source,
                                             platform_topology_t** out)
{
    return topology_linux_build(source->kind == PLATFORM_SOURCE_LIVE_LINUX ? NULL : source->path,
                                NULL, out);
}

const topology_backend_t topology_backend_linux = {
    .name = "linux",
    .live_kind = PLATFORM_SOURCE_LIVE_LINUX,
    .replay_kind = PLATFORM_SOURCE_REPLAY_SYSFS,
    .replay_path = "a directory",
    .build = linux_backend_build,
};
