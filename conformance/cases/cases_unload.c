/*
 * cases_unload.c — module_unload on valid and invalid handles (SPEC 4.1, 4.2).
 */
#include "conformance.h"

CONFORMANCE_CASE(core_unload, CORE_UNLOAD_001, "4.1", "module_unload of a valid handle returns true, lowers the count and resets the last error")
{
    capture_start();
    module_system_t* system = case_system_new(NULL, 0);
    const char* path = fixture_module("example_module");
    module_handle_t handle = case_load(system, path);
    case_load(system, path);
    CAND(module_unload)(NULL); /* leaves a last error to be reset */
    capture_take(NULL);
    cr_assert(CAND(module_unload)(handle), "module_unload of a module with 2 references failed: %s",
              error_name(CAND(module_get_last_error)()));
    expect_success("module_unload after a failing call");
    cr_assert(case_refcount(handle) == 1, "reference count %u after one unload of two, expected 1",
              case_refcount(handle));
    cr_assert(CAND(module_unload)(handle), "the final module_unload failed: %s",
              error_name(CAND(module_get_last_error)()));
    expect_success("the final module_unload");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_unload, CORE_UNLOAD_002, "4.2", "module_unload(NULL) fails with INVALID_PARAMETER naming the handle")
{
    capture_start();
    cr_assert(!CAND(module_unload)(NULL), "module_unload(NULL) returned true");
    const char* message = expect_failure(MODULE_ERROR_INVALID_PARAMETER, "module_unload(NULL)");
    expect_message_contains(message, "handle", "module_unload(NULL)");
}

CONFORMANCE_CASE(core_unload, CORE_UNLOAD_003, "4.2", "failing unloads change nothing")
{
    module_system_t* system = case_system_new(NULL, 0);
    const char* kept_path = fixture_module("lifecycle_counter");
    module_handle_t kept = case_load(system, kept_path);
    module_handle_t stale = case_load(system, fixture_module("example_module"));
    case_unload(stale);
    int local = 0;
    /* Values the candidate never handed out as handles (a value derived from a valid handle
     * could be one it did hand out, e.g. as a system, so none is used). */
    void* garbage = case_alloc(256);
    memset(garbage, 0xA5, 256);
    module_handle_t bad[] = {NULL, stale, (module_handle_t)(uintptr_t)0xdeadbeef000,
                             (module_handle_t)&local, (module_handle_t)garbage};
    for (size_t round = 0; round < 3; round++) {
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            cr_assert(!CAND(module_unload)(bad[i]), "module_unload(%p) of an invalid handle returned true",
                      (void*)bad[i]);
            expect_last_error(MODULE_ERROR_INVALID_PARAMETER, "module_unload of an invalid handle");
        }
    }
    cr_assert(case_refcount(kept) == 1, "failing unloads changed a loaded module's count to %u",
              case_refcount(kept));
    cr_assert(fixture_log_count("cleanup lifecycle_counter") == 0 && raw_is_mapped(kept_path),
              "failing unloads closed a loaded module");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_unload, CORE_UNLOAD_004, "4.1", "closing one module runs only its own cleanup and leaves the others loaded")
{
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t counter = case_load(system, fixture_module("lifecycle_counter"));
    module_handle_t renderer = case_load(system, fixture_module("graphics_renderer"));
    case_unload(renderer);
    cr_assert(fixture_log_count("cleanup graphics_renderer") == 1 &&
              fixture_log_count("cleanup lifecycle_counter") == 0,
              "unloading graphics_renderer ran the wrong cleanups; log:\n%s", fixture_log_read());
    cr_assert(case_refcount(counter) == 1, "the other module's count is %u", case_refcount(counter));
    case_system_destroy(system);
    cr_assert(fixture_log_count("cleanup lifecycle_counter") == 1 &&
              fixture_log_count("cleanup graphics_renderer") == 1,
              "destroy re-ran a closed module's cleanup or skipped a loaded one; log:\n%s",
              fixture_log_read());
}
