/*
 * exercise_lifecycle.c — reference counts, entry points, destroy, file identity and path
 * resolution (SPEC 2.3, 2.4, 3.1-3.3, 3.6).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exercise_support.h"

static void exercise_reference_counts(void)
{
    module_system_t* system = module_system_init(NULL);
    fixture_log_reset();
    recorder_reset();
    module_handle_t handle = load_fixture(system, "lifecycle_counter");
    int (*ping)(void) = (int (*)(void))module_get_symbol(handle, "lifecycle_ping");
    for (int i = 0; i < 2; i++) {
        CHECK(load_fixture(system, "lifecycle_counter") == handle, "a second load gave a new "
                                                                   "handle");
    }
    EXPECT_SUCCESS("shared loads");
    module_info_t info;
    CHECK(module_get_info(handle, &info) && info.reference_count == 3, "reference_count %u",
          info.reference_count);
    CHECK(fixture_log_count("init lifecycle_counter") == 1, "init ran %d times",
          fixture_log_count("init lifecycle_counter"));
    CHECK(module_unload(handle), "first unload failed");
    EXPECT_SUCCESS("unload");
    CHECK(module_get_info(handle, &info) && info.reference_count == 2, "after one unload: %u",
          info.reference_count);
    CHECK(ping != NULL && ping() == 42, "module no longer usable after one unload");
    CHECK(fixture_log_count("cleanup lifecycle_counter") == 0, "cleanup ran too early");
    CHECK(module_unload(handle) && module_unload(handle), "last unloads failed");
    CHECK(fixture_log_count("cleanup lifecycle_counter") == 1, "cleanup ran %d times",
          fixture_log_count("cleanup lifecycle_counter"));
    CHECK(!module_get_info(handle, &info), "handle valid after the final unload");
    recorder_reset();
    char path[COREMOD_PATH_MAX];
    fixture_path(path, "modules", "lifecycle_counter");
    CHECK(!file_is_mapped(path), "module still mapped after the final unload");
    module_system_destroy(system);
    CHECK(fixture_log_count("cleanup lifecycle_counter") == 1, "destroy ran cleanup again");
}

static void exercise_entry_points(void)
{
    module_system_t* system = module_system_init(NULL);
    fixture_log_reset();
    recorder_reset();
    /* module_interface wins over the top-level functions (SPEC 3.6). */
    module_handle_t precedence = load_fixture(system, "interface_precedence");
    CHECK(module_unload(precedence), "unload");
    CHECK(fixture_log_count("init interface_precedence") == 1 &&
              fixture_log_count("cleanup interface_precedence") == 1,
          "interface entry points");
    CHECK(fixture_log_count("toplevel-init interface_precedence") == 0 &&
              fixture_log_count("toplevel-cleanup interface_precedence") == 0,
          "top-level entry points ran although module_interface is exported");

    /* A constructor runs for a valid file; a module without entry points loads. */
    module_handle_t ctor = load_fixture(system, "ctor_logger");
    CHECK(fixture_log_count("ctor ctor_logger") == 1, "constructor of a valid module not run");
    module_handle_t plain = load_fixture(system, "plain_module");
    int (*plain_value)(void) = (int (*)(void))module_get_symbol(plain, "plain_value");
    CHECK(plain_value != NULL && plain_value() == 7, "plain_value");
    CHECK(module_unload(ctor) && module_unload(plain), "unloads");
    EXPECT_SUCCESS("entry points");
    module_system_destroy(system);

    /* A failing init leaves nothing loaded and does not count towards the limit. */
    module_system_config_t config = {1, 1, true, true, true, true, NULL};
    system = module_system_init(&config);
    char path[COREMOD_PATH_MAX];
    fixture_path(path, "modules", "failing_init");
    fixture_log_reset();
    for (int attempt = 1; attempt <= 2; attempt++) {
        CHECK(module_load(system, path) == NULL, "failing init loaded");
        EXPECT_FAILURE(MODULE_ERROR_INVALID_MODULE, path, "failing init");
        CHECK(fixture_log_count("init failing_init") == attempt, "init ran %d times",
              fixture_log_count("init failing_init"));
        CHECK(!file_is_mapped(path), "failing module stayed mapped");
    }
    CHECK(load_fixture(system, "example_module") != NULL, "a failed init used the only slot");
    module_system_destroy(system);
    CHECK(fixture_log_count("cleanup failing_init") == 0, "cleanup ran after a failed init");
    recorder_reset();
}

void exercise_lifecycle(void)
{
    exercise_reference_counts();
    exercise_entry_points();
}

/* SPEC 2.4: destroy runs every cleanup once, newest first, and invalidates every handle. */
void exercise_destroy(void)
{
    static const char* const order[] = {"lifecycle_counter", "interface_precedence",
                                        "graphics_renderer", "ai_engine"};
    enum { COUNT = sizeof(order) / sizeof(order[0]) };
    module_system_t* system = module_system_init(NULL);
    module_system_t* survivor = module_system_init(NULL);
    module_handle_t handles[COUNT];
    fixture_log_reset();
    recorder_reset();
    for (int i = 0; i < COUNT; i++) {
        handles[i] = load_fixture(system, order[i]);
    }
    load_fixture(system, "lifecycle_counter"); /* a second reference: still one cleanup */
    module_handle_t other = load_fixture(survivor, "lifecycle_counter");
    CHECK(other != handles[0], "two systems share a handle (SPEC 2.3)");
    fixture_log_reset();
    module_system_destroy(system);
    EXPECT_SUCCESS("destroy with modules loaded");
    int previous = -1;
    for (int i = COUNT - 1; i >= 0; i--) {
        char line[128];
        snprintf(line, sizeof(line), "cleanup %s", order[i]);
        CHECK(fixture_log_count(line) == 1, "%s: %d cleanups", order[i], fixture_log_count(line));
        int position = fixture_log_position(line);
        CHECK(position > previous, "%s cleaned up out of order", order[i]);
        previous = position;
        module_info_t info;
        CHECK(!module_get_info(handles[i], &info), "handle of %s valid after destroy", order[i]);
    }
    recorder_reset();
    /* The other system is untouched: its module still runs and unloads normally. */
    module_info_t info;
    CHECK(module_get_info(other, &info) && info.reference_count == 1, "other system affected");
    CHECK(module_unload(other), "unload in the surviving system");
    EXPECT_SUCCESS("unload in the surviving system");
    module_system_destroy(survivor);
}

/* SPEC 3.1 and 3.2: paths to one file are one module; equal copies are two. */
void exercise_identity(void)
{
    char original[COREMOD_PATH_MAX], dir_a[512], dir_b[512], copy[600], same_content[600],
        link_path[600], hard_link[600];
    fixture_path(original, "modules", "example_module");
    snprintf(dir_a, sizeof(dir_a), "%s/a", scratch_dir());
    snprintf(dir_b, sizeof(dir_b), "%s/b", scratch_dir());
    CHECK(mkdir(dir_a, 0755) == 0 && mkdir(dir_b, 0755) == 0, "mkdir: %s", strerror(errno));
    snprintf(copy, sizeof(copy), "%s/m.so", dir_a);
    snprintf(same_content, sizeof(same_content), "%s/m.so", dir_b);
    snprintf(link_path, sizeof(link_path), "%s/link.so", dir_b);
    snprintf(hard_link, sizeof(hard_link), "%s/hard.so", dir_a);
    CHECK(copy_file(original, copy) && copy_file(original, same_content), "copies");
    CHECK(symlink(copy, link_path) == 0 && link(copy, hard_link) == 0, "links: %s",
          strerror(errno));

    char search_path[1200];
    /* Empty elements and a missing directory are skipped; a/ comes before b/. */
    snprintf(search_path, sizeof(search_path), "::%s/missing:%s::%s/", scratch_dir(), dir_a, dir_b);
    module_system_config_t config = {16, 4, true, true, true, true, search_path};
    module_system_t* system = module_system_init(&config);
    recorder_reset();
    module_handle_t by_path = module_load(system, copy);
    CHECK(by_path != NULL, "load %s", copy);
    CHECK(module_load(system, "m.so") == by_path, "bare name did not find a/ first");
    CHECK(module_load(system, link_path) == by_path, "symbolic link is another module");
    CHECK(module_load(system, hard_link) == by_path, "hard link is another module");
    CHECK(module_load(system, "link.so") == by_path, "bare name through b/ and a link");
    EXPECT_SUCCESS("loads of one file");
    module_handle_t twin = module_load(system, same_content);
    CHECK(twin != NULL && twin != by_path, "an equal copy was taken for the same module");
    module_info_t info;
    CHECK(module_get_info(by_path, &info) && info.reference_count == 5, "reference_count %u",
          info.reference_count);
    CHECK(strcmp(info.name, "example_module") == 0, "descriptor name lost");

    /* The bare-name search does not fall through to later directories on a directory entry. */
    char shadow[600];
    snprintf(shadow, sizeof(shadow), "%s/shadow.so", dir_a);
    CHECK(mkdir(shadow, 0755) == 0, "mkdir shadow");
    snprintf(copy, sizeof(copy), "%s/shadow.so", dir_b);
    CHECK(copy_file(original, copy), "copy shadow");
    CHECK(module_load(system, "shadow.so") == NULL, "search went past the first entry");
    EXPECT_FAILURE(MODULE_ERROR_INVALID_MODULE, "directory", "first entry is a directory");
    module_system_destroy(system);
    recorder_reset();
}
