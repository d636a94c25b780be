/*
 * cases_entry_points.c — module_init / module_cleanup / module_interface, and loader failures
 * (SPEC 3.5, 3.6).
 */
#include <dlfcn.h>

#include "conformance.h"

CONFORMANCE_CASE(core_init, CORE_INIT_001, "3.6",
                 "init runs before the load returns and cleanup runs at the final unload")
{
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t handle = case_load(system, fixture_module("lifecycle_counter"));
    cr_assert(fixture_log_count("init lifecycle_counter") == 1,
              "module_init had not run (once) when module_load returned; log:\n%s",
              fixture_log_read());
    cr_assert(fixture_log_count("cleanup lifecycle_counter") == 0, "module_cleanup ran at load");
    case_unload(handle);
    cr_assert(fixture_log_count("cleanup lifecycle_counter") == 1,
              "module_cleanup did not run (once) at the final unload; log:\n%s",
              fixture_log_read());
    cr_assert(fixture_log_index("init lifecycle_counter") <
                  fixture_log_index("cleanup lifecycle_counter"),
              "cleanup was logged before init");
    case_system_destroy(system);
}

/* broken.md: the case that catches an implementation that runs init on every load. */
CONFORMANCE_CASE(core_init, CORE_INIT_002, "3.6",
                 "three loads run init once; three unloads run cleanup once")
{
    module_system_t* system = case_system_new(NULL, 0);
    const char* path = fixture_module("lifecycle_counter");
    module_handle_t handle = case_load(system, path);
    case_load(system, path);
    case_load(system, path);
    cr_assert(fixture_log_count("init lifecycle_counter") == 1,
              "module_init ran %zu times for three loads of one file, expected once (SPEC 3.6)",
              fixture_log_count("init lifecycle_counter"));
    case_unload(handle);
    case_unload(handle);
    cr_assert(fixture_log_count("cleanup lifecycle_counter") == 0,
              "module_cleanup ran before the last reference was released");
    case_unload(handle);
    cr_assert(fixture_log_count("cleanup lifecycle_counter") == 1,
              "module_cleanup ran %zu times for three unloads, expected once",
              fixture_log_count("cleanup lifecycle_counter"));
    case_system_destroy(system);
}

/* broken.md: the case that catches an implementation that keeps a failed module mapped. */
CONFORMANCE_CASE(core_init, CORE_INIT_003, "3.6",
                 "a module whose init fails is not loaded and its file is closed")
{
    module_system_t* system = case_system_new(NULL, 0);
    const char* path = fixture_module("failing_init");
    cr_assert(CAND(module_load)(system, path) == NULL, "a module whose init returned false loaded");
    expect_last_error(MODULE_ERROR_INVALID_MODULE, "failing init");
    void* still_mapped = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
    if (still_mapped != NULL) {
        dlclose(still_mapped);
    }
    cr_assert(still_mapped == NULL,
              "the file of a module whose init failed is still mapped (SPEC 3.6)");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_init, CORE_INIT_004, "3.6",
                 "a failed init reports INVALID_MODULE naming the path, never runs cleanup and "
                 "does not count toward the limit")
{
    capture_start();
    module_system_t* system = case_system_new(NULL, 1);
    const char* path = fixture_module("failing_init");
    for (int attempt = 0; attempt < 2; attempt++) {
        cr_assert(CAND(module_load)(system, path) == NULL,
                  "a module whose init returned false loaded");
        const char* message = expect_failure(MODULE_ERROR_INVALID_MODULE, "failing init");
        expect_message_names_path(message, path, "failing init");
    }
    cr_assert(fixture_log_count("init failing_init") == 2,
              "init ran %zu times for two loads that each opened the file, expected 2",
              fixture_log_count("init failing_init"));
    module_handle_t handle = case_load(system, fixture_module("example_module"));
    cr_assert(handle != NULL, "the failed loads counted toward the limit of 1");
    case_system_destroy(system);
    cr_assert(fixture_log_count("cleanup failing_init") == 0,
              "the cleanup of a module whose init failed ran (SPEC 3.6); log:\n%s",
              fixture_log_read());
}

CONFORMANCE_CASE(
    core_init, CORE_INIT_005, "3.6",
    "an exported module_interface takes precedence over top-level module_init/module_cleanup")
{
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t handle = case_load(system, fixture_module("interface_precedence"));
    cr_assert(fixture_log_count("init interface_precedence") == 1,
              "the interface's init did not run once; log:\n%s", fixture_log_read());
    cr_assert(fixture_log_count("toplevel-init interface_precedence") == 0,
              "the top-level module_init ran although module_interface is exported");
    case_unload(handle);
    cr_assert(fixture_log_count("cleanup interface_precedence") == 1,
              "the interface's cleanup did not run once; log:\n%s", fixture_log_read());
    cr_assert(fixture_log_count("toplevel-cleanup interface_precedence") == 0,
              "the top-level module_cleanup ran although module_interface is exported");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_init, CORE_INIT_006, "3.6", "a module with no entry points loads and works")
{
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t handle = case_load(system, fixture_module("plain_module"));
    int (*plain_value)(void);
    void* symbol = case_symbol(handle, "plain_value");
    memcpy(&plain_value, &symbol, sizeof(plain_value));
    cr_assert(plain_value() == 7, "plain_value() returned %d, expected 7", plain_value());
    case_unload(handle);
    case_system_destroy(system);
}

CONFORMANCE_CASE(
    core_init, CORE_INIT_007, "3.5",
    "a module the platform loader refuses fails with INVALID_MODULE including the loader's message")
{
    capture_start();
    module_system_t* system = case_system_new(NULL, 0);
    const char* path = fixture_module("unresolved_dep");
    cr_assert(CAND(module_load)(system, path) == NULL, "a module with an unresolved symbol loaded");
    const char* message = expect_failure(MODULE_ERROR_INVALID_MODULE, "unresolved dependency");
    expect_message_names_path(message, path, "unresolved dependency");
    /* glibc says "undefined symbol: coremod_fixture_no_such_function". */
    expect_message_contains(message, "coremod_fixture_no_such_function", "unresolved dependency");
    cr_assert(!raw_is_mapped(path), "the refused module is mapped");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_init, CORE_INIT_008, "3.6",
                 "a module unloaded to zero and loaded again runs init again")
{
    module_system_t* system = case_system_new(NULL, 0);
    const char* path = fixture_module("lifecycle_counter");
    case_unload(case_load(system, path));
    case_unload(case_load(system, path));
    cr_assert(fixture_log_count("init lifecycle_counter") == 2 &&
                  fixture_log_count("cleanup lifecycle_counter") == 2,
              "two load/unload cycles did not run init and cleanup twice each; log:\n%s",
              fixture_log_read());
    case_system_destroy(system);
}
