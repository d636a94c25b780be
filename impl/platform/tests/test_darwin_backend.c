/*
 * test_darwin_backend.c — the macOS backend's derivations, driven through the replay sysctl
 * source (the same code runs against sysctlbyname on a Mac).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "darwin/darwin_backend.h"
#include "platform_topology_views.h"
#include "test_support.h"

static platform_status_t build(const char* text, platform_topology_t** out)
{
    sysctl_source_t sc;
    cr_assert_eq(sysctl_source_open_text(text, &sc), PLATFORM_OK);
    platform_status_t st =
        topology_darwin_build(&sc, PLATFORM_SOURCE_REPLAY_SYSCTL, "replay-sysctl:test", out);
    sc.close(&sc);
    return st;
}

static const char* const m2_levels =
    "hw.nperflevels: 2\n"
    "hw.perflevel0.logicalcpu: 4\nhw.perflevel0.l1dcachesize: 131072\nhw.perflevel0.l2cachesize: "
    "16777216\n"
    "hw.perflevel0.cpusperl2: 4\n"
    "hw.perflevel1.logicalcpu: 4\nhw.perflevel1.l1dcachesize: 65536\nhw.perflevel1.l2cachesize: "
    "4194304\n"
    "hw.perflevel1.cpusperl2: 4\nhw.cachelinesize: 128\nhw.optional.arm64: 1\n";

Test(darwin_backend, perflevel_counts_must_add_up)
{
    char text[1024];
    snprintf(text, sizeof text, "hw.logicalcpu: 10\n%s", m2_levels);
    platform_topology_t* t = NULL;
    cr_expect_eq(build(text, &t), PLATFORM_ERR_SOURCE_MALFORMED);
    cr_expect_null(t);
    cr_expect(strstr(platform_last_error(), "add up to 8") != NULL, "%s", platform_last_error());
}

Test(darwin_backend, cpu_count_is_required)
{
    platform_topology_t* t = NULL;
    cr_expect_eq(build(m2_levels, &t), PLATFORM_ERR_SOURCE_MALFORMED);
    cr_expect(strstr(platform_last_error(), "hw.logicalcpu") != NULL, "%s", platform_last_error());
}

Test(darwin_backend, non_integer_value_is_malformed)
{
    platform_topology_t* t = NULL;
    cr_expect_eq(build("hw.logicalcpu: 8\nhw.nperflevels: two\n", &t),
                 PLATFORM_ERR_SOURCE_MALFORMED);
    cr_expect(strstr(platform_last_error(), "hw.nperflevels") != NULL);
    cr_expect_eq(build("hw.logicalcpu: 0\n", &t), PLATFORM_ERR_SOURCE_MALFORMED);
    cr_expect_eq(build("hw.logicalcpu: 8\nhw.cachelinesize: -128\n", &t),
                 PLATFORM_ERR_SOURCE_MALFORMED);
}

Test(darwin_backend, generic_cache_keys_do_not_describe_p_cores)
{
    char text[1024];
    snprintf(text, sizeof text,
             "hw.logicalcpu: 8\nhw.l1dcachesize: 65536\nhw.l2cachesize: 4194304\n%s", m2_levels);
    platform_topology_t* t;
    cr_assert_eq(build(text, &t), PLATFORM_OK, "%s", platform_last_error());
    apple_silicon_info_t a;
    platform_view_apple_silicon(t, &a);
    cr_expect_eq(a.l1_cache_size, 131072);
    cr_expect_eq(a.l2_cache_size, 16777216);
    cr_expect_eq(t->cache_line_size, 128);
    platform_topology_free(t);
}

/* Three levels named as a newer chip might name them: the index decides, never the name. */
Test(darwin_backend, levels_keyed_by_index_and_slowest_numbered_first)
{
    const char* text =
        "hw.logicalcpu: 9\nhw.nperflevels: 3\nhw.optional.arm64: 1\nhw.cachelinesize: 128\n"
        "hw.perflevel0.logicalcpu: 2\nhw.perflevel0.name: Efficiency\nhw.perflevel0.l2cachesize: "
        "8388608\n"
        "hw.perflevel0.cpusperl2: 2\n"
        "hw.perflevel1.logicalcpu: 3\nhw.perflevel1.name: Performance\nhw.perflevel1.cpusperl2: 3\n"
        "hw.perflevel1.l2cachesize: 6291456\n"
        "hw.perflevel2.logicalcpu: 4\nhw.perflevel2.name: Super\nhw.perflevel2.cpusperl2: 2\n"
        "hw.perflevel2.l2cachesize: 2097152\n";
    platform_topology_t* t;
    cr_assert_eq(build(text, &t), PLATFORM_OK, "%s", platform_last_error());
    cr_assert_eq(t->n_kinds, 3);
    /* level 2 (slowest) is CPUs 0-3 in two L2 clusters, level 1 CPUs 4-6, level 0 CPUs 7-8 */
    cr_expect_eq(t->cpus[0].kind, 2);
    cr_expect_eq(t->cpus[4].kind, 1);
    cr_expect_eq(t->cpus[8].kind, 0);
    cr_expect_str_eq(t->kinds[0].name,
                     "Efficiency"); /* a label only: it is still the fastest kind */
    cr_expect_eq(t->kinds[0].l2_size, 8388608);
    cr_expect_eq(t->kinds[2].cpus_per_l2, 2);
    cr_expect_eq(t->n_clusters, 4);
    cr_expect_eq(t->cpus[2].cluster, 1);
    cr_expect_eq(t->cpus[7].cluster, 3);
    apple_silicon_info_t a;
    platform_view_apple_silicon(t, &a);
    cr_expect_eq(a.p_core_count, 5);
    cr_expect_eq(a.e_core_count, 4);
    platform_topology_free(t);
}

Test(darwin_backend, unknown_family_falls_back_to_the_brand)
{
    platform_topology_t* t;
    cr_assert_eq(build("hw.ncpu: 10\nhw.optional.arm64: 1\nhw.cpufamily: 12345\n"
                       "machdep.cpu.brand_string: Apple M5 Pro\n",
                       &t),
                 PLATFORM_OK);
    cr_expect_eq(t->apple_generation, 5);
    cr_expect_str_eq(t->apple_variant, "Pro");
    cr_expect(t->has_amx);
    platform_topology_free(t);

    cr_assert_eq(
        build("hw.ncpu: 10\nhw.optional.arm64: 1\nmachdep.cpu.brand_string: Apple M9000\n", &t),
        PLATFORM_OK);
    cr_expect_eq(t->apple_generation, 0);
    cr_expect_not(t->has_amx);
    platform_topology_free(t);
}

Test(darwin_backend, subfamily_names_the_variant)
{
    platform_topology_t* t;
    cr_assert_eq(
        build("hw.ncpu: 14\nhw.optional.arm64: 1\nhw.cpufamily: 399882554\nhw.cpusubfamily: 4\n",
              &t),
        PLATFORM_OK);
    cr_expect_eq(t->apple_generation, 4);
    cr_expect_str_eq(t->apple_variant, "Pro");
    platform_topology_free(t);
    /* M3 Pro has a family of its own: no subfamily needed */
    cr_assert_eq(build("hw.ncpu: 12\nhw.cputype: 16777228\nhw.cpufamily: 1598941843\n", &t),
                 PLATFORM_OK);
    cr_expect_eq(t->apple_generation, 3);
    cr_expect_str_eq(t->apple_variant, "Pro");
    cr_expect_str_eq(t->vendor, "Apple");
    platform_topology_free(t);
}

Test(darwin_backend, feat_lse_wins_over_the_old_key)
{
    platform_topology_t* t;
    cr_assert_eq(build("hw.ncpu: 8\nhw.optional.arm64: 1\nhw.optional.arm.FEAT_LSE: 0\n"
                       "hw.optional.armv8_1_atomics: 1\n",
                       &t),
                 PLATFORM_OK);
    cr_expect_not(t->has_lse);
    platform_topology_free(t);
}

/* An Intel Mac: no perflevels, Hyper-Threading siblings share L1 and L2, 8 CPUs share the L3. */
Test(darwin_backend, intel_mac_single_level_uses_cacheconfig)
{
    platform_topology_t* t;
    cr_assert_eq(build("hw.ncpu: 8\nhw.logicalcpu: 8\nmachdep.cpu.vendor: GenuineIntel\n"
                       "machdep.cpu.brand_string: Intel(R) Core(TM) i7-4870HQ CPU @ 2.50GHz\n"
                       "hw.cachelinesize: 64\nhw.l1icachesize: 32768\nhw.l1dcachesize: 32768\n"
                       "hw.l2cachesize: 262144\nhw.l3cachesize: 6291456\nhw.cacheconfig: 8 2 2 8 0 "
                       "0 0 0 0 0\n",
                       &t),
                 PLATFORM_OK, "%s", platform_last_error());
    cr_expect_str_eq(t->vendor, "Intel");
    cr_expect_eq(t->apple_generation, 0);
    cr_expect_not(t->has_amx);
    cr_expect(t->has_prefetcher);
    cr_expect_eq(t->n_kinds, 1);
    cr_expect_eq(t->n_clusters, 4);
    cr_expect_eq(t->kinds[0].cpus_per_l2, 2);
    cr_expect_eq(t->kinds[0].l3_size, 6291456);
    cache_hierarchy_info_t c;
    platform_view_cache_hierarchy(t, &c);
    cr_expect_eq(c.l1_cache_size, 32768);
    cr_expect_eq(c.l1_cache_line_size, 64);
    cr_expect_eq(c.l3_cache_size, 6291456);
    const platform_cache_t* l1d = &t->caches[t->cpus[1].cache[PLATFORM_SLOT_L1D]];
    cr_expect_eq(cpuset_count(&l1d->cpus), 2);
    cr_expect(cpuset_contains(&l1d->cpus, 0));
    platform_topology_free(t);
}

Test(sysctl_source, file_lines_first_occurrence_and_continuations)
{
    char* dir = test_make_tree();
    test_write(dir, "dump.txt",
               "hw.ncpu: 4\r\nkern.version: Darwin Kernel Version 23.0.0:\nroot: xnu-10002 "
               "continued: here\n"
               "hw.ncpu: 99\nhw.osenvironment:\nmachdep.cpu.brand_string: Apple M2  \n");
    char path[4200];
    snprintf(path, sizeof path, "%s/dump.txt", dir);
    sysctl_source_t sc;
    cr_assert_eq(sysctl_source_open_file(path, &sc), PLATFORM_OK);
    bool found;
    int64_t v;
    char buf[32];
    cr_expect_eq(sc.get_int(&sc, "hw.ncpu", &found, &v), PLATFORM_OK);
    cr_expect(found);
    cr_expect_eq(v, 4);
    cr_expect_eq(sc.get_string(&sc, "machdep.cpu.brand_string", &found, buf, sizeof buf),
                 PLATFORM_OK);
    cr_expect_str_eq(buf, "Apple M2");
    cr_expect_eq(sc.get_string(&sc, "hw.osenvironment", &found, buf, sizeof buf), PLATFORM_OK);
    cr_expect(found);
    cr_expect_str_eq(buf, "");
    cr_expect_eq(sc.get_int(&sc, "hw.osenvironment", &found, &v), PLATFORM_ERR_SOURCE_MALFORMED);
    cr_expect_eq(sc.get_int(&sc, "root", &found, &v), PLATFORM_ERR_SOURCE_MALFORMED);
    cr_expect_eq(sc.get_int(&sc, "hw.nothing", &found, &v), PLATFORM_OK);
    cr_expect_not(found);
    char tiny[4];
    cr_expect_eq(sc.get_string(&sc, "machdep.cpu.brand_string", &found, tiny, sizeof tiny),
                 PLATFORM_ERR_SOURCE_MALFORMED);
    sc.close(&sc);
    test_remove_tree(dir);
}

Test(sysctl_source, unreadable_and_bad_arguments)
{
    sysctl_source_t sc;
    cr_expect_eq(sysctl_source_open_file("/nonexistent/coremod.sysctl", &sc),
                 PLATFORM_ERR_SOURCE_UNREADABLE);
    cr_expect(strstr(platform_last_error(), "/nonexistent/coremod.sysctl") != NULL);
    cr_expect_eq(sysctl_source_open_file("", &sc), PLATFORM_ERR_INVALID_ARGUMENT);
    cr_expect_eq(sysctl_source_open_file(NULL, &sc), PLATFORM_ERR_INVALID_ARGUMENT);
    cr_expect_eq(sysctl_source_open_text(NULL, &sc), PLATFORM_ERR_INVALID_ARGUMENT);
    cr_expect_eq(sysctl_source_open_file("/", &sc), PLATFORM_ERR_SOURCE_UNREADABLE);
#ifndef __APPLE__
    cr_expect_eq(sysctl_source_open_live(&sc), PLATFORM_ERR_UNSUPPORTED);
#endif
}
