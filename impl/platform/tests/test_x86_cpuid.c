/*
 * test_x86_cpuid.c — CPUID probing on the live machine agrees with what the kernel says.
 */
#include <criterion/criterion.h>
#include <string.h>

#ifdef COREMOD_HAVE_VALGRIND_H
#include <valgrind/valgrind.h>
#endif

#include "linux/linux_backend.h"
#include "linux/topology_x86_cpuid.h"
#include "test_support.h"
#include "vendor/x86_vendor.h"

#if defined(__x86_64__) || defined(__i386__)

Test(x86_cpuid, probe_reports_vendor_and_caches)
{
    x86_cpuid_info_t info;
    cr_assert_eq(x86_cpuid_probe_cpu(0, &info), PLATFORM_OK, "%s", platform_last_error());
    cr_expect_eq(strlen(info.vendor), 12);
    cr_expect_gt(info.n_caches, 0);
    bool l1d = false;
    for (uint32_t i = 0; i < info.n_caches; i++)
        l1d |= info.caches[i].level == 1 && info.caches[i].type == PLATFORM_CACHE_DATA &&
               info.caches[i].size > 0;
    cr_expect(l1d, "no L1 data cache in CPUID");
    cr_expect_eq(x86_cpuid_probe_cpu(100000, &info), PLATFORM_ERR_INVALID_ARGUMENT);
    cr_expect_eq(x86_cpuid_probe_cpu(0, NULL), PLATFORM_ERR_INVALID_ARGUMENT);
}

/* The live table built from CPUID caches equals the one built from sysfs (which the kernel itself
 * derives from the same leaves): sizes, lines, ways, sharing, and the clusters they imply. */
Test(x86_cpuid, caches_from_cpuid_equal_caches_from_sysfs)
{
#ifdef COREMOD_HAVE_VALGRIND_H
    /* Valgrind answers CPUID with its own virtual CPU, which the kernel's sysfs does not describe.
     */
    if (RUNNING_ON_VALGRIND)
        cr_skip_test("CPUID is emulated under valgrind");
#endif
    platform_topology_t* from_sysfs = NULL;
    platform_topology_t* from_cpuid = NULL;
    linux_backend_options_t options = {.ignore_sysfs_caches = true};
    cr_assert_eq(topology_linux_build(NULL, NULL, &from_sysfs), PLATFORM_OK, "%s",
                 platform_last_error());
    cr_assert_eq(topology_linux_build(NULL, &options, &from_cpuid), PLATFORM_OK, "%s",
                 platform_last_error());
    if (from_sysfs->n_caches == 0) {
        platform_topology_free(from_sysfs);
        platform_topology_free(from_cpuid);
        cr_skip_test("this kernel exposes no cache/index* to compare with");
    }
    cr_expect_eq(from_cpuid->n_caches, from_sysfs->n_caches);
    for (uint32_t i = 0; i < from_sysfs->n_caches && i < from_cpuid->n_caches; i++) {
        const platform_cache_t* a = &from_sysfs->caches[i];
        const platform_cache_t* b = &from_cpuid->caches[i];
        cr_expect_eq(a->level, b->level, "cache %u", i);
        cr_expect_eq(a->type, b->type, "cache %u", i);
        cr_expect_eq(a->size, b->size, "cache %u", i);
        cr_expect_eq(a->line_size, b->line_size, "cache %u", i);
        cr_expect_eq(a->ways, b->ways, "cache %u", i);
        cr_expect(cpuset_equal(&a->cpus, &b->cpus), "cache %u sharing", i);
    }
    cr_expect_eq(from_cpuid->n_clusters, from_sysfs->n_clusters);
    platform_topology_free(from_sysfs);
    platform_topology_free(from_cpuid);
}

#else

Test(x86_cpuid, unsupported_elsewhere)
{
    x86_cpuid_info_t info;
    cr_expect_not(x86_cpuid_available());
    cr_expect_eq(x86_cpuid_probe_current(&info), PLATFORM_ERR_UNSUPPORTED);
    cr_expect_eq(x86_cpuid_probe_cpu(0, &info), PLATFORM_ERR_UNSUPPORTED);
}

#endif

Test(x86_cpuid, vendor_names)
{
    cr_expect_str_eq(x86_vendor_name("GenuineIntel"), "Intel");
    cr_expect_str_eq(x86_vendor_name("AuthenticAMD"), "AMD");
    cr_expect_null(x86_vendor_name("SomethingElse"));
    cr_expect_null(x86_vendor_name(NULL));
}
