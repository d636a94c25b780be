/*
 * test_linux_backend.c — the Linux backend on small recorded trees written by the tests: each
 * tree isolates one rule (hybrid files, offline CPUs, frequency classes, malformed files...).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linux/linux_backend.h"
#include "platform_topology_views.h"
#include "test_support.h"

#define CPU "sys/devices/system/cpu/"

/* Writes CPUs 0..n-1 with package 0. */
static void write_cpus(const char* root, unsigned n, const char* online)
{
    char rel[256], list[32];
    snprintf(list, sizeof list, "0-%u\n", n - 1);
    test_write(root, CPU "present", list);
    if (online)
        test_write(root, CPU "online", online);
    for (unsigned c = 0; c < n; c++) {
        snprintf(rel, sizeof rel, CPU "cpu%u/topology/physical_package_id", c);
        test_write(root, rel, "0\n");
    }
}

static void write_cpu_file(const char* root, unsigned cpu, const char* file, const char* content)
{
    char rel[256];
    snprintf(rel, sizeof rel, CPU "cpu%u/%s", cpu, file);
    test_write(root, rel, content);
}

static platform_topology_t* build_ok(const char* root)
{
    platform_topology_t* t = NULL;
    platform_status_t st = topology_linux_build(root, NULL, &t);
    cr_assert_eq(st, PLATFORM_OK, "%s: %s", platform_status_name(st), platform_last_error());
    return t;
}

Test(linux_backend, intel_hybrid_files_rank_core_above_atom)
{
    char* root = test_make_tree();
    write_cpus(root, 4, "0-3\n");
    test_write(root, "sys/devices/cpu_core/cpus", "2-3\n");
    test_write(root, "sys/devices/cpu_atom/cpus", "0-1\n");
    platform_topology_t* t = build_ok(root);
    cr_assert_eq(t->n_kinds, 2);
    cr_expect_str_eq(t->kinds[0].name, "Core");
    cr_expect_str_eq(t->kinds[1].name, "Atom");
    cr_expect_eq(t->cpus[2].kind, 0);
    cr_expect_eq(t->cpus[0].kind, 1);
    cr_expect_eq(t->kinds[0].hybrid, PLATFORM_HYBRID_CORE);
    numa_topology_info_t n;
    platform_view_numa(t, &n);
    cr_expect_eq(n.p_core_count, 2);
    cr_expect_eq(n.e_core_count, 2);
    cr_expect(n.has_heterogeneous_cores);
    platform_topology_free(t);
    test_remove_tree(root);
}

Test(linux_backend, offline_cpu_is_listed_but_not_counted)
{
    char* root = test_make_tree();
    write_cpus(root, 4, "0-2\n");
    test_write(root, "sys/devices/system/node/node0/cpulist", "0-2\n");
    platform_topology_t* t = build_ok(root);
    cr_expect_eq(t->n_cpus, 4);
    cr_expect_eq(t->n_online, 3);
    cr_expect_not(t->cpus[3].online);
    cr_expect_eq(t->cpus[3].kind, -1);
    cr_expect_eq(t->cpus[3].cluster, -1);
    cr_expect_eq(t->cpus[3].node, -1);
    cr_expect_eq(t->kinds[0].count, 3);
    platform_topology_free(t);
    test_remove_tree(root);
}

Test(linux_backend, per_cpu_online_files_without_a_global_list)
{
    char* root = test_make_tree();
    write_cpus(root, 3, NULL);
    write_cpu_file(root, 1, "online", "0\n");
    write_cpu_file(root, 2, "online", "1\n"); /* cpu0 has no file: it cannot go offline */
    platform_topology_t* t = build_ok(root);
    cr_expect(t->cpus[0].online);
    cr_expect_not(t->cpus[1].online);
    cr_expect(t->cpus[2].online);
    platform_topology_free(t);
    test_remove_tree(root);
}

Test(linux_backend, favoured_cores_within_five_percent_are_one_kind)
{
    char* root = test_make_tree();
    write_cpus(root, 4, "0-3\n");
    const char* freqs[] = {"4700000\n", "4700000\n", "4900000\n", "4900000\n"};
    for (unsigned c = 0; c < 4; c++)
        write_cpu_file(root, c, "cpufreq/cpuinfo_max_freq", freqs[c]);
    platform_topology_t* t = build_ok(root);
    cr_expect_eq(t->n_kinds, 1);
    platform_topology_free(t);
    /* 3.0 vs 4.7 GHz: two kinds, the faster first */
    write_cpu_file(root, 0, "cpufreq/cpuinfo_max_freq", "3000000\n");
    write_cpu_file(root, 1, "cpufreq/cpuinfo_max_freq", "3000000\n");
    t = build_ok(root);
    cr_expect_eq(t->n_kinds, 2);
    cr_expect_eq(t->cpus[2].kind, 0);
    cr_expect_eq(t->cpus[0].kind, 1);
    cr_expect_eq(t->kinds[1].max_freq_khz, 3000000);
    platform_topology_free(t);
    test_remove_tree(root);
}

Test(linux_backend, shared_base_frequency_hides_turbo_differences)
{
    char* root = test_make_tree();
    write_cpus(root, 2, "0-1\n");
    write_cpu_file(root, 0, "cpufreq/cpuinfo_max_freq", "4000000\n");
    write_cpu_file(root, 1, "cpufreq/cpuinfo_max_freq", "5000000\n");
    write_cpu_file(root, 0, "cpufreq/base_frequency", "2000000\n");
    write_cpu_file(root, 1, "cpufreq/base_frequency", "2000000\n");
    platform_topology_t* t = build_ok(root);
    cr_expect_eq(t->n_kinds, 1);
    platform_topology_free(t);
    test_remove_tree(root);
}

Test(linux_backend, a_signal_missing_on_some_cpus_is_ignored)
{
    char* root = test_make_tree();
    write_cpus(root, 2, "0-1\n");
    write_cpu_file(root, 0, "cpu_capacity", "512\n");
    platform_topology_t* t = build_ok(root);
    cr_expect_eq(t->n_kinds, 1);
    platform_topology_free(t);
    write_cpu_file(root, 1, "cpu_capacity", "1024\n");
    t = build_ok(root);
    cr_expect_eq(t->n_kinds, 2);
    cr_expect_eq(t->cpus[1].kind, 0);
    cr_expect_eq(t->kinds[0].capacity, 1024);
    platform_topology_free(t);
    test_remove_tree(root);
}

Test(linux_backend, nodes_memory_only_and_unlisted_cpus)
{
    char* root = test_make_tree();
    write_cpus(root, 4, "0-3\n");
    test_write(root, "sys/devices/system/node/node2/cpulist", "2-3\n");
    test_write(root, "sys/devices/system/node/node0/cpulist", "0\n");
    test_write(root, "sys/devices/system/node/node5/cpulist", "\n"); /* memory only */
    platform_topology_t* t = build_ok(root);
    cr_assert_eq(t->n_nodes, 3);
    cr_expect_eq(t->nodes[0].os_index, 0);
    cr_expect_eq(t->nodes[1].os_index, 2);
    cr_expect_eq(t->nodes[2].os_index, 5);
    cr_expect_eq(t->cpus[1].node, 0); /* in no node's list: the first node */
    cr_expect_eq(t->cpus[3].node, 2);
    platform_topology_free(t);
    test_remove_tree(root);
}

Test(linux_backend, caches_are_shared_instances_with_sizes_in_k_and_m)
{
    char* root = test_make_tree();
    write_cpus(root, 2, "0-1\n");
    for (unsigned c = 0; c < 2; c++) {
        write_cpu_file(root, c, "cache/index0/level", "1\n");
        write_cpu_file(root, c, "cache/index0/type", "Data\n");
        write_cpu_file(root, c, "cache/index0/size", "32K\n");
        write_cpu_file(root, c, "cache/index0/coherency_line_size", "64\n");
        write_cpu_file(root, c, "cache/index0/shared_cpu_list", c ? "1\n" : "0\n");
        write_cpu_file(root, c, "cache/index1/level", "2\n");
        write_cpu_file(root, c, "cache/index1/type", "Unified\n");
        write_cpu_file(root, c, "cache/index1/size", "2M\n");
        write_cpu_file(root, c, "cache/index1/coherency_line_size", "128\n");
        write_cpu_file(root, c, "cache/index1/shared_cpu_list", "0-1\n");
        write_cpu_file(root, c, "cache/index2/level", "1\n"); /* a kind the model does not know */
        write_cpu_file(root, c, "cache/index2/type", "Trace\n");
    }
    platform_topology_t* t = build_ok(root);
    cr_expect_eq(t->n_caches, 3);
    cr_expect_eq(t->cpus[0].cache[PLATFORM_SLOT_L2], t->cpus[1].cache[PLATFORM_SLOT_L2]);
    cr_expect_eq(t->kinds[0].l2_size, 2u * 1024 * 1024);
    cr_expect_eq(t->kinds[0].cpus_per_l2, 2);
    cr_expect_eq(t->cache_line_size, 128);
    cr_expect_eq(t->n_clusters, 1); /* no cluster_id, no MIDR: CPUs sharing an L2 are a cluster */
    platform_topology_free(t);
    test_remove_tree(root);
}

Test(linux_backend, malformed_files_are_reported_with_their_path)
{
    char* root = test_make_tree();
    write_cpus(root, 2, "0-x\n");
    platform_topology_t* t = NULL;
    cr_expect_eq(topology_linux_build(root, NULL, &t), PLATFORM_ERR_SOURCE_MALFORMED);
    cr_expect_null(t);
    cr_expect(strstr(platform_last_error(), "/sys/devices/system/cpu/online") != NULL, "%s",
              platform_last_error());

    test_write(root, CPU "online", "0-1\n");
    write_cpu_file(root, 1, "cpu_capacity", "fast\n");
    cr_expect_eq(topology_linux_build(root, NULL, &t), PLATFORM_ERR_SOURCE_MALFORMED);
    cr_expect(strstr(platform_last_error(), "cpu1/cpu_capacity") != NULL, "%s",
              platform_last_error());

    write_cpu_file(root, 1, "cpu_capacity", "1024\n");
    test_write(root, "proc/cpuinfo", "processor\t: 0\nCPU part\t: zz\n");
    cr_expect_eq(topology_linux_build(root, NULL, &t), PLATFORM_ERR_SOURCE_MALFORMED);
    test_write(root, "proc/cpuinfo",
               "processor\t: 0\nCPU part\t: 0xd03\nCPU implementer\t: 0x41\n");
    write_cpu_file(root, 0, "cache/index0/level", "1\n");
    write_cpu_file(root, 0, "cache/index0/type", "Data\n");
    write_cpu_file(root, 0, "cache/index0/size", "lots\n");
    cr_expect_eq(topology_linux_build(root, NULL, &t), PLATFORM_ERR_SOURCE_MALFORMED);
    write_cpu_file(root, 0, "cache/index0/size", "32K\n");
    t = build_ok(root);
    cr_expect_str_eq(t->kinds[0].name, "", "CPU 1 has no MIDR, so MIDR is not a signal");
    cr_expect_str_eq(t->vendor, "ARM");
    platform_topology_free(t);
    test_remove_tree(root);
}

Test(linux_backend, unreadable_roots)
{
    platform_topology_t* t = NULL;
    cr_expect_eq(topology_linux_build("/nonexistent/coremod-root", NULL, &t),
                 PLATFORM_ERR_SOURCE_UNREADABLE);
    cr_expect(strstr(platform_last_error(), "/nonexistent/coremod-root") != NULL);
    cr_expect_eq(topology_linux_build("", NULL, &t), PLATFORM_ERR_INVALID_ARGUMENT);
    cr_expect_eq(topology_linux_build("/tmp", NULL, NULL), PLATFORM_ERR_INVALID_ARGUMENT);
    char* root = test_make_tree();
    cr_expect_eq(topology_linux_build(root, NULL, &t), PLATFORM_ERR_SOURCE_UNREADABLE,
                 "an empty tree has no CPU");
    test_write(root, "file", "x");
    char path[4200];
    snprintf(path, sizeof path, "%s/file", root);
    cr_expect_eq(topology_linux_build(path, NULL, &t), PLATFORM_ERR_SOURCE_UNREADABLE);
    cr_expect_null(t);
    test_remove_tree(root);
}

Test(linux_backend, cpus_found_from_directories_when_no_list_exists)
{
    char* root = test_make_tree();
    write_cpu_file(root, 0, "topology/physical_package_id", "0\n");
    write_cpu_file(root, 1, "topology/physical_package_id", "0\n");
    write_cpu_file(root, 1, "online", "1\n");
    test_write(root, CPU "cpufreq/policy0/related_cpus", "0-1\n"); /* "cpufreq" is not a CPU */
    platform_topology_t* t = build_ok(root);
    cr_expect_eq(t->n_cpus, 2);
    cr_expect_eq(t->n_online, 2);
    platform_topology_free(t);
    test_remove_tree(root);
}
