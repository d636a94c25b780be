/*
 * test_topology_get.c — choosing the source from the environment, building each table once,
 * ownership of cached and built tables, argument validation.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "platform_topology.h"
#include "test_support.h"

static char sysfs_a[4200], sysfs_b[4200], sysctl_m4[4200];

static void setup(void)
{
    unsetenv(COREMOD_SYSFS_ROOT_ENV);
    unsetenv(COREMOD_SYSCTL_FILE_ENV);
    snprintf(sysfs_a, sizeof sysfs_a, "%s/linux-arm-2c-cortex-a9/" COREMOD_REPLAY_SYSFS_DIR,
             test_fixtures_dir());
    snprintf(sysfs_b, sizeof sysfs_b, "%s/linux-amd-opteron-8node/" COREMOD_REPLAY_SYSFS_DIR,
             test_fixtures_dir());
    snprintf(sysctl_m4, sizeof sysctl_m4, "%s/macos-m4-max-sequoia/" COREMOD_REPLAY_SYSCTL_NAME,
             test_fixtures_dir());
}

TestSuite(topology_get, .init = setup);

Test(topology_get, both_overrides_is_an_error)
{
    setenv(COREMOD_SYSFS_ROOT_ENV, sysfs_a, 1);
    setenv(COREMOD_SYSCTL_FILE_ENV, sysctl_m4, 1);
    const platform_topology_t* t = (const platform_topology_t*)1;
    cr_expect_eq(platform_topology_acquire(&t), PLATFORM_ERR_INVALID_ARGUMENT);
    cr_expect_null(t);
    cr_expect_null(platform_topology_get());
    cr_expect(strstr(platform_last_error(), COREMOD_SYSCTL_FILE_ENV) != NULL);
}

Test(topology_get, replay_tables_are_built_once_per_source)
{
    setenv(COREMOD_SYSFS_ROOT_ENV, sysfs_a, 1);
    const platform_topology_t* a1 = platform_topology_get();
    cr_assert_not_null(a1, "%s", platform_last_error());
    cr_expect_eq(a1->n_online, 2);
    cr_expect_eq(platform_topology_get(), a1);
    setenv(COREMOD_SYSFS_ROOT_ENV, sysfs_b, 1);
    const platform_topology_t* b = platform_topology_get();
    cr_assert_not_null(b);
    cr_expect_neq(b, a1);
    cr_expect_eq(b->n_nodes, 8);
    unsetenv(COREMOD_SYSFS_ROOT_ENV);
    setenv(COREMOD_SYSCTL_FILE_ENV, sysctl_m4, 1);
    const platform_topology_t* m4 = platform_topology_get();
    cr_assert_not_null(m4);
    cr_expect_eq(m4->apple_generation, 4);
    cr_expect_eq(m4->source_kind, PLATFORM_SOURCE_REPLAY_SYSCTL);
    platform_topology_free((platform_topology_t*)m4); /* cached: ignored */
    cr_expect_eq(platform_topology_get(), m4);
    cr_expect_eq(m4->n_online, 16);
    unsetenv(COREMOD_SYSCTL_FILE_ENV);
    setenv(COREMOD_SYSFS_ROOT_ENV, sysfs_a, 1);
    cr_expect_eq(platform_topology_get(), a1);
}

Test(topology_get, empty_variables_mean_unset)
{
    setenv(COREMOD_SYSFS_ROOT_ENV, "", 1);
    setenv(COREMOD_SYSCTL_FILE_ENV, "", 1);
    const platform_topology_t* t = platform_topology_get();
    cr_assert_not_null(t, "%s", platform_last_error());
    cr_expect_eq(t->source_kind, PLATFORM_SOURCE_LIVE_LINUX);
}

Test(topology_get, failed_replay_reports_and_is_retried)
{
    char* root = test_make_tree();
    setenv(COREMOD_SYSFS_ROOT_ENV, root, 1);
    const platform_topology_t* t;
    cr_expect_eq(platform_topology_acquire(&t), PLATFORM_ERR_SOURCE_UNREADABLE);
    cr_expect(strstr(platform_last_error(), root) != NULL, "%s", platform_last_error());
    test_write(root, "sys/devices/system/cpu/online", "0\n");
    cr_expect_eq(platform_topology_acquire(&t), PLATFORM_OK, "a failure is not cached");
    cr_expect_eq(t->n_online, 1);
    test_remove_tree(root);
}

Test(topology_get, live_table_is_built_once_and_matches_the_system)
{
    const platform_topology_t* t = platform_topology_get();
    cr_assert_not_null(t, "%s", platform_last_error());
    cr_expect_eq(platform_topology_get(), t);
    cr_expect_str_eq(t->source, "live-linux");
    cr_expect_eq(t->n_online, (uint32_t)sysconf(_SC_NPROCESSORS_ONLN));
    cr_expect_geq(t->n_kinds, 1);
    cr_expect_geq(t->n_nodes, 1);
}

static void* get_in_thread(void* arg)
{
    (void)arg;
    return (void*)platform_topology_get();
}

Test(topology_get, concurrent_first_use_builds_one_table)
{
    setenv(COREMOD_SYSCTL_FILE_ENV, sysctl_m4, 1);
    pthread_t threads[8];
    void* results[8];
    for (int i = 0; i < 8; i++)
        cr_assert_eq(pthread_create(&threads[i], NULL, get_in_thread, NULL), 0);
    for (int i = 0; i < 8; i++)
        pthread_join(threads[i], &results[i]);
    cr_assert_not_null(results[0]);
    for (int i = 1; i < 8; i++)
        cr_expect_eq(results[i], results[0]);
}

Test(topology_get, build_validates_its_arguments)
{
    platform_topology_t* t = NULL;
    platform_source_t sysfs_no_path = {PLATFORM_SOURCE_REPLAY_SYSFS, NULL};
    platform_source_t sysctl_empty = {PLATFORM_SOURCE_REPLAY_SYSCTL, ""};
    platform_source_t bogus = {(platform_source_kind_t)99, "x"};
    platform_source_t darwin = {PLATFORM_SOURCE_LIVE_DARWIN, NULL};
    cr_expect_eq(platform_topology_build(NULL, &t), PLATFORM_ERR_INVALID_ARGUMENT);
    cr_expect_eq(platform_topology_build(&sysfs_no_path, NULL), PLATFORM_ERR_INVALID_ARGUMENT);
    cr_expect_eq(platform_topology_build(&sysfs_no_path, &t), PLATFORM_ERR_INVALID_ARGUMENT);
    cr_expect_eq(platform_topology_build(&sysctl_empty, &t), PLATFORM_ERR_INVALID_ARGUMENT);
    cr_expect_eq(platform_topology_build(&bogus, &t), PLATFORM_ERR_INVALID_ARGUMENT);
#ifndef __APPLE__
    cr_expect_eq(platform_topology_build(&darwin, &t), PLATFORM_ERR_UNSUPPORTED);
#endif
    cr_expect_null(t);
    cr_expect_eq(platform_topology_acquire(NULL), PLATFORM_ERR_INVALID_ARGUMENT);
    platform_topology_free(NULL);
}

Test(topology_get, a_built_table_is_owned_by_the_caller)
{
    platform_source_t source = {PLATFORM_SOURCE_REPLAY_SYSCTL, sysctl_m4};
    platform_topology_t* t1 = NULL;
    platform_topology_t* t2 = NULL;
    cr_assert_eq(platform_topology_build(&source, &t1), PLATFORM_OK);
    cr_assert_eq(platform_topology_build(&source, &t2), PLATFORM_OK);
    cr_expect_neq(t1, t2);
    cr_expect_not(t1->cached);
    platform_topology_free(t1);
    platform_topology_free(t2);
}

Test(topology_get, names_of_statuses_and_sources)
{
    cr_expect_str_eq(platform_status_name(PLATFORM_ERR_SOURCE_MALFORMED),
                     "PLATFORM_ERR_SOURCE_MALFORMED");
    cr_expect_str_eq(platform_status_name((platform_status_t)42), "PLATFORM_ERR_UNKNOWN");
    cr_expect_str_eq(platform_source_kind_name(PLATFORM_SOURCE_REPLAY_SYSFS), "replay-sysfs");
    cr_expect_str_eq(platform_source_kind_name((platform_source_kind_t)42), "unknown");
}
