/*
 * cases_string_limits.c — NULL (SPEC 1.2, document), empty and over-long module paths (SPEC 1.4,
 * 1.5, coremod).
 *
 * Symbol names are covered in cases_symbols.c (CORE-SYM-007, CORE-SYM-014), the search path in
 * cases_system.c (CORE-SYS-003, CORE-SYS-004).
 */
#include <unistd.h>

#include "conformance.h"

CONFORMANCE_CASE(core_strings, CORE_STR_001, "1.4", "a 4095-byte module path is accepted and loads")
{
    case_copy(fixture_module("plain_module"), "m.so");
    cr_assert(chdir(case_dir()) == 0, "harness: chdir %s", case_dir());
    /* "./" 2045 times, one more "/", then "m.so": 4090 + 1 + 4 = 4095 bytes naming ./m.so. */
    char* path = case_alloc(COREMOD_PATH_MAX);
    size_t used = 0;
    for (int i = 0; i < 2045; i++) {
        path[used++] = '.';
        path[used++] = '/';
    }
    path[used++] = '/';
    memcpy(path + used, "m.so", 5);
    cr_assert(strlen(path) == COREMOD_PATH_MAX - 1, "harness: built %zu bytes", strlen(path));
    module_system_t* system = case_system_new(NULL, 0);
    module_handle_t handle = case_load(system, guard_terminated(path));
    cr_assert(case_load(system, "./m.so") == handle,
              "the 4095-byte path and ./m.so are two modules");
    case_system_destroy(system);
}

CONFORMANCE_CASE(
    core_strings, CORE_STR_002, "1.4",
    "a module path over 4095 bytes fails with INVALID_PARAMETER without reading past 4096 bytes")
{
    capture_start();
    module_system_t* system = case_system_new(NULL, 0);
    capture_take(NULL);
    /* Terminated 4096-byte path. */
    char* path = case_alloc(COREMOD_PATH_MAX + 1);
    memset(path, 'a', COREMOD_PATH_MAX);
    path[0] = '/';
    cr_assert(CAND(module_load)(system, path) == NULL, "a 4096-byte path was accepted");
    expect_message_contains(expect_failure(MODULE_ERROR_INVALID_PARAMETER, "4096-byte module_path"),
                            "module_path", "4096-byte module_path");
    /* 4096 bytes, no terminator, an inaccessible page after them. */
    cr_assert(CAND(module_load)(system, guard_unterminated(COREMOD_PATH_MAX, 'b')) == NULL,
              "an unterminated 4096-byte path was accepted");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER, "unterminated 4096-byte module_path");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_strings, CORE_STR_003, "1.2",
                 "a NULL module path fails with INVALID_PARAMETER")
{
    module_system_t* system = case_system_new(NULL, 0);
    cr_assert(CAND(module_load)(system, NULL) == NULL,
              "module_load(system, NULL) returned a "
              "handle; expected NULL with INVALID_PARAMETER (SPEC 1.2)");
    expect_last_error(MODULE_ERROR_INVALID_PARAMETER, "module_load(system, NULL)");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_strings, CORE_STR_004, "1.5",
                 "an empty module path fails with INVALID_PARAMETER; the messages name module_path")
{
    capture_start();
    module_system_t* system = case_system_new(NULL, 0);
    capture_take(NULL);
    cr_assert(CAND(module_load)(system, NULL) == NULL, "a NULL path was accepted");
    expect_message_contains(expect_failure(MODULE_ERROR_INVALID_PARAMETER, "NULL module_path"),
                            "module_path", "NULL module_path");
    cr_assert(CAND(module_load)(system, "") == NULL,
              "module_load(system, \"\") returned a handle; "
              "expected NULL with INVALID_PARAMETER (SPEC 1.5)");
    expect_message_contains(expect_failure(MODULE_ERROR_INVALID_PARAMETER, "empty module_path"),
                            "module_path", "empty module_path");
    case_system_destroy(system);
}
