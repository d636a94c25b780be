/*
 * cases_identity_refcount.c — reference counting and handle identity (SPEC 8.2 document; 3.3,
 * 1.3, 4.4 coremod).
 */
#include "conformance.h"

CONFORMANCE_CASE(core_ref, CORE_REF_001, "3.3",
                 "loading a loaded file returns the same handle and counts references up and down")
{
    module_system_t* system = case_system_new(NULL, 0);
    const char* path = fixture_module("example_module");
    module_handle_t first = case_load(system, path);
    for (uint32_t expected = 2; expected <= 5; expected++) {
        cr_assert(case_load(system, path) == first, "load %u of one file returned another handle",
                  expected);
        cr_assert(case_refcount(first) == expected, "reference count %u after %u loads",
                  case_refcount(first), expected);
    }
    for (uint32_t expected = 4; expected >= 1; expected--) {
        case_unload(first);
        cr_assert(case_refcount(first) == expected,
                  "reference count %u after an unload, expected %u", case_refcount(first),
                  expected);
    }
    case_system_destroy(system);
}

/* broken.md: the case that catches an unload that ignores the reference count. */
CONFORMANCE_CASE(core_ref, CORE_REF_002, "3.3",
                 "unloading one of two references keeps the module loaded and usable")
{
    module_system_t* system = case_system_new(NULL, 0);
    const char* path = fixture_module("lifecycle_counter");
    module_handle_t handle = case_load(system, path);
    cr_assert(case_load(system, path) == handle, "the second load returned another handle");
    void* symbol = case_symbol(handle, "lifecycle_ping");

    cr_assert(CAND(module_unload)(handle), "module_unload of a module with 2 references failed: %s",
              error_name(CAND(module_get_last_error)()));
    module_info_t info;
    cr_assert(CAND(module_get_info)(handle, &info),
              "module_get_info failed after unloading one of two references: %s",
              error_name(CAND(module_get_last_error)()));
    cr_assert(info.reference_count == 1,
              "reference count %u after 2 loads and 1 unload, expected 1", info.reference_count);
    cr_assert(fixture_log_count("cleanup lifecycle_counter") == 0,
              "the module's cleanup ran while a reference remained; log:\n%s", fixture_log_read());
    /* Only call into the module if it is still mapped: a failure here must be a fail, not a crash.
     */
    cr_assert(raw_is_mapped(path), "the module was closed while a reference remained");
    int (*ping)(void);
    memcpy(&ping, &symbol, sizeof(ping));
    cr_assert(ping() == 42, "lifecycle_ping returned %d after a partial unload, expected 42",
              ping());
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_ref, CORE_REF_003, "3.3",
                 "the unload that reaches zero closes the module and invalidates its handle")
{
    capture_start();
    module_system_t* system = case_system_new(NULL, 0);
    const char* path = case_copy(fixture_module("lifecycle_counter"), "lifecycle_counter.so");
    module_handle_t handle = case_load(system, path);
    case_load(system, path);
    case_unload(handle);
    case_unload(handle);
    expect_success("the final module_unload");
    cr_assert(fixture_log_count("cleanup lifecycle_counter") == 1,
              "cleanup ran %zu times at the final unload, expected once",
              fixture_log_count("cleanup lifecycle_counter"));
    cr_assert(!raw_is_mapped(path), "the file is still mapped after its final unload");
    module_info_t info;
    cr_assert(!CAND(module_get_info)(handle, &info),
              "module_get_info succeeded on a closed module's handle");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER, "module_get_info on a closed module's handle");
    cr_assert(!CAND(module_unload)(handle), "a third unload of a module loaded twice succeeded");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER, "module_unload on a closed module's handle");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_ref, CORE_REF_004, "1.3", "handle values are never reused for another module")
{
    module_system_t* system = case_system_new(NULL, 0);
    const char* paths[] = {fixture_module("example_module"), fixture_module("plain_module")};
    enum { ROUNDS = 200 };
    module_handle_t seen[2 * ROUNDS];
    size_t count = 0;
    for (size_t round = 0; round < ROUNDS; round++) {
        for (size_t p = 0; p < 2; p++) {
            module_handle_t handle = case_load(system, paths[p]);
            for (size_t i = 0; i < count; i++) {
                cr_assert(seen[i] != handle,
                          "handle %p was handed out again after its module was "
                          "closed (load %zu)",
                          (void*)handle, count);
            }
            seen[count++] = handle;
            case_unload(handle);
        }
    }
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_ref, CORE_REF_005, "4.4",
                 "a handle whose module was closed stays invalid after the file is loaded again")
{
    capture_start();
    module_system_t* system = case_system_new(NULL, 0);
    const char* path = fixture_module("example_module");
    module_handle_t old_handle = case_load(system, path);
    case_unload(old_handle);
    module_handle_t new_handle = case_load(system, path);
    capture_take(NULL);
    cr_assert(new_handle != old_handle,
              "the reloaded file got its closed handle's value back (SPEC 1.3)");
    cr_assert(!CAND(module_unload)(old_handle), "module_unload of the stale handle succeeded");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER, "module_unload of a stale handle");
    cr_assert(CAND(module_get_symbol)(old_handle, "example_function") == NULL,
              "module_get_symbol on the stale handle succeeded");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER, "module_get_symbol on a stale handle");
    cr_assert(case_refcount(new_handle) == 1,
              "the stale unload changed the new handle's count to %u", case_refcount(new_handle));
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_ref, CORE_REF_006, "8.2",
                 "handles stay valid while many other modules are loaded and unloaded")
{
    enum { OTHERS = 300 };
    const char* plain = fixture_module("plain_module");
    case_mkdir("others");
    for (size_t i = 0; i < OTHERS; i++) {
        case_copy(plain, case_strf("others/o%zu.so", i));
    }
    module_system_t* system = case_system_new(case_path("others"), 0);
    module_handle_t kept = case_load(system, fixture_module("example_module"));
    module_info_t before = case_info(kept);
    void* function = case_symbol(kept, "example_function");
    module_handle_t others[OTHERS];
    for (size_t i = 0; i < OTHERS; i++) {
        others[i] = case_load(system, case_strf("o%zu.so", i));
    }
    for (size_t i = 0; i < OTHERS; i += 2) {
        case_unload(others[i]);
    }
    module_info_t after = case_info(kept);
    cr_assert(after.reference_count == 1 && strcmp(after.name, before.name) == 0 &&
                  after.size_bytes == before.size_bytes &&
                  after.load_time_us == before.load_time_us,
              "the kept module's information changed while others were loaded and unloaded");
    cr_assert(case_symbol(kept, "example_function") == function,
              "example_function moved while others were loaded and unloaded");
    for (size_t i = 1; i < OTHERS; i += 2) {
        cr_assert(case_refcount(others[i]) == 1, "module o%zu lost its handle", i);
    }
    case_system_destroy(system);
}
