/*
 * topology_tool.c — `coremod-topology [--json]`: prints what detection found.
 *
 * The machine is the live one unless COREMOD_SYSFS_ROOT (a recorded /sys + /proc tree) or
 * COREMOD_SYSCTL_FILE (a recorded `sysctl -a`) names a recording. --json prints the
 * "coremod-topology/1" document (topology_json.h); without it, the same facts as text.
 * Exit status: 0 success, 1 detection failed (the reason on stderr), 2 usage error.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "platform_topology.h"
#include "platform_topology_views.h"
#include "topology_json.h"

static void usage(FILE* out)
{
    fprintf(out,
            "usage: coremod-topology [--json]\n"
            "Prints the detected CPU kinds, caches and NUMA nodes.\n"
            "  %s=DIR    replay a recorded Linux /sys + /proc tree\n"
            "  %s=FILE  replay a recorded macOS `sysctl -a` dump\n",
            COREMOD_SYSFS_ROOT_ENV, COREMOD_SYSCTL_FILE_ENV);
}

static void print_size(const char* label, uint64_t bytes)
{
    if (bytes == 0)
        printf("%s unknown", label);
    else if (bytes % (1024u * 1024u) == 0)
        printf("%s %" PRIu64 " MiB", label, bytes / (1024u * 1024u));
    else if (bytes % 1024u == 0)
        printf("%s %" PRIu64 " KiB", label, bytes / 1024u);
    else
        printf("%s %" PRIu64 " B", label, bytes);
}

static void print_cpuset(const platform_cpuset_t* set)
{
    char buf[512];
    size_t need = cpuset_format_list(set, buf, sizeof buf);
    printf("%s%s", buf, need >= sizeof buf ? "..." : "");
}

static void print_text(const platform_topology_t* t)
{
    apple_silicon_info_t a;
    cache_hierarchy_info_t c;
    numa_topology_info_t n;
    platform_view_apple_silicon(t, &a);
    platform_view_cache_hierarchy(t, &c);
    platform_view_numa(t, &n);

    printf("source:   %s\n", t->source);
    printf("machine:  %s%s%s\n", t->vendor[0] ? t->vendor : "(vendor unknown)",
           t->brand[0] ? " / " : "", t->brand);
    printf("cpus:     %" PRIu32 " online of %" PRIu32 ", %" PRIu32 " package(s), %" PRIu32
           " cluster(s)\n",
           t->n_online, t->n_cpus, t->n_packages, t->n_clusters);
    if (t->apple_generation)
        printf("apple:    M%" PRIu32 "%s%s\n", t->apple_generation, t->apple_variant[0] ? " " : "",
               t->apple_variant);

    printf("\napple_silicon_info_t: generation=%" PRIu32 " p_core_count=%" PRIu32
           " e_core_count=%" PRIu32 " gpu_core_count=%" PRIu32 "\n  l1_cache_size=%" PRIu64
           " l2_cache_size=%" PRIu64 " l3_cache_size=%" PRIu64 " has_amx=%d has_lse=%d\n",
           a.generation, a.p_core_count, a.e_core_count, a.gpu_core_count, a.l1_cache_size,
           a.l2_cache_size, a.l3_cache_size, a.has_amx, a.has_lse);
    printf("cache_hierarchy_info_t: l1_cache_size=%" PRIu32 " l1_cache_line_size=%" PRIu32
           " l1_associativity=%" PRIu32 "\n  l2_cache_size=%" PRIu32 " l2_cache_line_size=%" PRIu32
           " l2_associativity=%" PRIu32 " l3_cache_size=%" PRIu32 " has_prefetcher=%d\n",
           c.l1_cache_size, c.l1_cache_line_size, c.l1_associativity, c.l2_cache_size,
           c.l2_cache_line_size, c.l2_associativity, c.l3_cache_size, c.has_prefetcher);
    printf("numa_topology_info_t: p_core_count=%" PRIu32 " e_core_count=%" PRIu32
           " total_cores=%" PRIu32 " numa_domains=%" PRIu32 " has_heterogeneous_cores=%d\n",
           n.p_core_count, n.e_core_count, n.total_cores, n.numa_domains,
           n.has_heterogeneous_cores);

    printf("\ncore kinds (0 = fastest):\n");
    for (uint32_t i = 0; i < t->n_kinds; i++) {
        const platform_kind_t* k = &t->kinds[i];
        printf("  kind %" PRIu32 " [%s] %-12s x%-3" PRIu32 " cpus ", i,
               platform_kind_is_efficiency(t, (int32_t)i) ? "E" : "P", k->name[0] ? k->name : "-",
               k->count);
        print_cpuset(&k->cpus);
        printf("  ");
        print_size("L1i", k->l1i_size);
        printf(", ");
        print_size("L1d", k->l1d_size);
        printf(", ");
        print_size("L2", k->l2_size);
        if (k->cpus_per_l2)
            printf(" per %" PRIu32 " cpus", k->cpus_per_l2);
        if (k->capacity)
            printf(", capacity %" PRIu32, k->capacity);
        if (k->max_freq_khz)
            printf(", max %" PRIu32 " MHz", k->max_freq_khz / 1000u);
        if (k->midr)
            printf(", MIDR 0x%08" PRIx32, k->midr);
        printf("\n");
    }
    printf("\nNUMA nodes:\n");
    for (uint32_t i = 0; i < t->n_nodes; i++) {
        printf("  node %" PRIu32 ": cpus ", t->nodes[i].os_index);
        print_cpuset(&t->nodes[i].cpus);
        printf("\n");
    }
    printf("\ncpus:\n");
    for (uint32_t i = 0; i < t->n_cpus; i++) {
        const platform_cpu_t* cpu = &t->cpus[i];
        if (!cpu->online) {
            printf("  cpu %" PRIu32 ": offline\n", cpu->os_index);
            continue;
        }
        printf("  cpu %-4" PRIu32 " kind %" PRId32 " (%s)  package %" PRId32 "  cluster %" PRId32
               "  node %" PRId32 "\n",
               cpu->os_index, cpu->kind, platform_kind_is_efficiency(t, cpu->kind) ? "E" : "P",
               cpu->package, cpu->cluster, cpu->node);
    }
}

int main(int argc, char** argv)
{
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = true;
        else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "coremod-topology: unknown argument \"%s\"\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    const platform_topology_t* t;
    platform_status_t st = platform_topology_acquire(&t);
    if (st != PLATFORM_OK) {
        fprintf(stderr, "coremod-topology: detection failed: %s: %s\n", platform_status_name(st),
                platform_last_error());
        return 1;
    }
    if (json) {
        st = platform_topology_write_json(t, stdout);
        if (st != PLATFORM_OK) {
            fprintf(stderr, "coremod-topology: %s\n", platform_last_error());
            return 1;
        }
    } else {
        print_text(t);
    }
    return 0;
}
