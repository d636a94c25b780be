/*
 * cases_bad_handles.c — handles and systems the implementation did not hand out, or no longer
 * owns (SPEC 1.2 document; 1.3, 1.5 coremod).
 *
 * A candidate must validate them by lookup in its own tables, never by reading through them: the
 * random values used here point at unmapped memory, at the case's stack, or at heap garbage.
 */
#include "conformance.h"

/* unload, get_symbol and get_info on `handle` each fail with INVALID_PARAMETER. */
static void expect_handle_rejected(module_handle_t handle, const char* what)
{
    module_info_t info;
    cr_assert(!CAND(module_unload)(handle), "module_unload(%s) returned true", what);
    expect_last_error(MODULE_ERROR_INVALID_PARAMETER, case_strf("module_unload(%s)", what));
    cr_assert(CAND(module_get_symbol)(handle, "example_function") == NULL,
              "module_get_symbol(%s) returned a symbol", what);
    expect_last_error(MODULE_ERROR_INVALID_PARAMETER, case_strf("module_get_symbol(%s)", what));
    cr_assert(!CAND(module_get_info)(handle, &info), "module_get_info(%s) returned true", what);
    expect_last_error(MODULE_ERROR_INVALID_PARAMETER, case_strf("module_get_info(%s)", what));
}

CONFORMANCE_CASE(core_bad, CORE_BAD_001, "1.2",
                 "a NULL handle fails with INVALID_PARAMETER in unload, get_symbol and get_info")
{
    expect_handle_rejected(NULL, "NULL");
}

/* broken.md: the case that catches handles treated as pointers. */
CONFORMANCE_CASE(core_bad, CORE_BAD_002, "1.3",
                 "stale and random handles fail with INVALID_PARAMETER without being dereferenced")
{
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t stale = case_load(system, fixture_module("example_module"));
    case_unload(stale);
    expect_handle_rejected(stale, "a handle unloaded to zero");
    expect_handle_rejected((module_handle_t)(uintptr_t)0xdeadbeef000, "0xdeadbeef000");
    int local = 0x5A5A5A5A;
    expect_handle_rejected((module_handle_t)&local, "the address of a local variable");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_bad, CORE_BAD_003, "1.5",
                 "handles of a destroyed system fail with INVALID_PARAMETER")
{
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t a = case_load(system, fixture_module("example_module"));
    module_handle_t b = case_load(system, fixture_module("plain_module"));
    case_load(system, fixture_module("plain_module"));
    case_system_destroy(system);
    expect_handle_rejected(a, "a handle of a destroyed system");
    expect_handle_rejected(b, "a handle (count 2) of a destroyed system");
}

CONFORMANCE_CASE(core_bad, CORE_BAD_004, "1.5",
                 "unknown and destroyed system pointers fail with INVALID_PARAMETER in load, "
                 "load_with_options and destroy")
{
    const char* path = fixture_module("lifecycle_counter");
    module_system_t* destroyed = case_system_new(NULL, 0);
    case_system_destroy(destroyed);
    int local = 0;
    void* garbage = case_alloc(512);
    memset(garbage, 0xA5, 512);
    struct {
        module_system_t* system;
        const char* what;
    } bad[] = {
        {(module_system_t*)(uintptr_t)0xdeadbeef000, "0xdeadbeef000"},
        {(module_system_t*)&local, "the address of a local variable"},
        {(module_system_t*)garbage, "heap memory full of 0xA5"},
        {destroyed, "a destroyed system"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        cr_assert(CAND(module_load)(bad[i].system, path) == NULL, "module_load on %s succeeded",
                  bad[i].what);
        expect_last_error(MODULE_ERROR_INVALID_PARAMETER,
                          case_strf("module_load on %s", bad[i].what));
        cr_assert(CAND(module_load_with_options)(bad[i].system, path, NULL) == NULL,
                  "module_load_with_options on %s succeeded", bad[i].what);
        expect_last_error(MODULE_ERROR_INVALID_PARAMETER,
                          case_strf("module_load_with_options on %s", bad[i].what));
        CAND(module_system_destroy)(bad[i].system);
        expect_last_error(MODULE_ERROR_INVALID_PARAMETER,
                          case_strf("module_system_destroy of %s", bad[i].what));
    }
    cr_assert(fixture_log_read()[0] == '\0' && !raw_is_mapped(path),
              "a load on an invalid system ran or mapped the module");
}

CONFORMANCE_CASE(core_bad, CORE_BAD_005, "1.5",
                 "a system pointer is not a module handle and a module handle is not a system")
{
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t handle = case_load(system, fixture_module("example_module"));
    expect_handle_rejected((module_handle_t)(void*)system, "a system pointer used as a handle");
    cr_assert(CAND(module_load)((module_system_t*)(void*)handle, fixture_module("plain_module")) ==
                  NULL,
              "module_load on a module handle used as a system succeeded");
    expect_last_error(MODULE_ERROR_INVALID_PARAMETER, "module_load on a handle used as a system");
    CAND(module_system_destroy)((module_system_t*)(void*)handle);
    expect_last_error(MODULE_ERROR_INVALID_PARAMETER, "module_system_destroy of a handle");
    cr_assert(case_refcount(handle) == 1, "the bad calls changed the module");
    case_system_destroy(system);
}
