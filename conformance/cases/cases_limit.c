/*
 * cases_limit.c — max_concurrent_modules (SPEC 3.8 document; 3.13, 3.3 coremod).
 */
#include "conformance.h"

/* broken.md: the case that catches an implementation that ignores the limit. */
CONFORMANCE_CASE(core_limit, CORE_LIMIT_001, "3.8",
                 "with a limit of 2, the third distinct module fails with RESOURCE_EXHAUSTED and "
                 "the two stay loaded")
{
    module_system_t* system = case_system_new(NULL, 2);
    module_handle_t first = case_load(system, fixture_module("example_module"));
    module_handle_t second = case_load(system, fixture_module("plain_module"));
    module_handle_t third = CAND(module_load)(system, fixture_module("symbol_rich"));
    cr_assert(third == NULL, "a third distinct module loaded in a system limited to 2");
    expect_last_error(MODULE_ERROR_RESOURCE_EXHAUSTED, "third distinct module at a limit of 2");
    cr_assert(case_refcount(first) == 1 && case_refcount(second) == 1,
              "the refused load changed the loaded modules");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_limit, CORE_LIMIT_002, "3.13",
                 "loading an already open module at the limit succeeds")
{
    module_system_t* system = case_system_new(NULL, 1);
    const char* path = fixture_module("example_module");
    module_handle_t handle = case_load(system, path);
    module_handle_t again = CAND(module_load)(system, path);
    cr_assert(again == handle, "reloading the only module of a system at its limit of 1 failed: %s",
              error_name(CAND(module_get_last_error)()));
    cr_assert(case_refcount(handle) == 2, "reference count %u, expected 2", case_refcount(handle));
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_limit, CORE_LIMIT_003, "3.8",
                 "after the module loaded once is unloaded, another can be loaded at the limit")
{
    module_system_t* system = case_system_new(NULL, 1);
    module_handle_t first = case_load(system, fixture_module("example_module"));
    cr_assert(CAND(module_load)(system, fixture_module("plain_module")) == NULL,
              "a second distinct module loaded in a system with max_concurrent_modules 1; "
              "expected NULL with RESOURCE_EXHAUSTED (SPEC 3.8)");
    expect_last_error(MODULE_ERROR_RESOURCE_EXHAUSTED, "second distinct module at a limit of 1");
    case_unload(first);
    module_handle_t second = CAND(module_load)(system, fixture_module("plain_module"));
    cr_assert(second != NULL,
              "after the only module (loaded once) was unloaded, loading another "
              "in a system with max_concurrent_modules 1 failed with %s; expected success (SPEC "
              "3.8)",
              error_name(CAND(module_get_last_error)()));
    case_system_destroy(system);
}

CONFORMANCE_CASE(
    core_limit, CORE_LIMIT_005, "3.3",
    "a module loaded twice keeps its slot at the limit until its last reference is unloaded")
{
    module_system_t* system = case_system_new(NULL, 1);
    module_handle_t first = case_load(system, fixture_module("example_module"));
    case_load(system, fixture_module("example_module"));
    case_unload(first);
    cr_assert(CAND(module_load)(system, fixture_module("plain_module")) == NULL,
              "a second module opened while the first still had a reference");
    expect_last_error(MODULE_ERROR_RESOURCE_EXHAUSTED, "limit 1 with the first module still open");
    case_unload(first);
    module_handle_t second = case_load(system, fixture_module("plain_module"));
    cr_assert(case_refcount(second) == 1, "the module opened after the unload has count %u",
              case_refcount(second));
    case_system_destroy(system);
}

CONFORMANCE_CASE(
    core_limit, CORE_LIMIT_004, "3.13",
    "the module refused at the limit is not opened: no constructor, no init, not mapped")
{
    capture_start();
    module_system_t* system = case_system_new(NULL, 1);
    case_load(system, fixture_module("example_module"));
    const char* refused[] = {"ctor_logger", "lifecycle_counter"};
    for (size_t i = 0; i < 2; i++) {
        const char* path = fixture_module(refused[i]);
        cr_assert(CAND(module_load)(system, path) == NULL, "%s loaded past the limit", refused[i]);
        const char* message =
            expect_failure(MODULE_ERROR_RESOURCE_EXHAUSTED, "load past the limit");
        expect_message_names_path(message, path, "load past the limit");
        cr_assert(!raw_is_mapped(path), "%s was mapped although refused at the limit", refused[i]);
    }
    cr_assert(fixture_log_read()[0] == '\0',
              "module code ran for loads refused at the limit; "
              "log:\n%s",
              fixture_log_read());
    case_system_destroy(system);
}
