/*
 * cases_options.c — module_load_with_options (SPEC 3.10).
 *
 * Hot reload and security policies are not supported in this release: a candidate that refuses
 * them as SPEC 3.10 says makes the cases that need them not_supported (never a pass); any other
 * outcome is a failure.
 */
#include <sys/stat.h>

#include "conformance.h"

static module_load_options_t plain_options(void)
{
    module_load_options_t options = {
        .enable_hot_reload = false,
        .prefer_performance_cores = false,
        .memory_limit_kb = 0,
        .security_policy = NULL,
    };
    return options;
}

CONFORMANCE_CASE(core_options, CORE_OPT_001, "3.10", "options == NULL behaves as module_load")
{
    capture_start();
    module_system_t* system = case_system_new(NULL, 0);
    const char* path = fixture_module("example_module");
    module_handle_t handle = CAND(module_load_with_options)(system, path, NULL);
    cr_assert(handle != NULL, "module_load_with_options(..., NULL) failed: %s",
              error_name(CAND(module_get_last_error)()));
    expect_success("module_load_with_options(NULL options)");
    cr_assert(case_load(system, path) == handle, "module_load of the same file gave another handle");
    cr_assert(case_refcount(handle) == 2, "reference count %u, expected 2", case_refcount(handle));
    cr_assert(CAND(module_load_with_options)(system, case_path("missing.so"), NULL) == NULL,
              "a missing file loaded with NULL options");
    expect_failure(MODULE_ERROR_FILE_NOT_FOUND, "module_load_with_options of a missing file");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_options, CORE_OPT_002, "3.10", "memory_limit_kb: 0 is no limit; a file over the limit fails with RESOURCE_EXHAUSTED")
{
    capture_start();
    module_system_t* system = case_system_new(NULL, 0);
    const char* path = fixture_module("symbol_rich");
    struct stat st;
    cr_assert(stat(path, &st) == 0, "harness: stat %s", path);
    /* The largest limit the file exceeds: size > floor((size - 1) / 1024) * 1024, and one KiB
     * more holds it. */
    uint32_t size_kb_floor = (uint32_t)((st.st_size - 1) / 1024);

    module_load_options_t options = plain_options();
    options.memory_limit_kb = size_kb_floor;
    cr_assert(CAND(module_load_with_options)(system, path, &options) == NULL,
              "a %lld-byte file loaded with memory_limit_kb %u", (long long)st.st_size, size_kb_floor);
    const char* message = expect_failure(MODULE_ERROR_RESOURCE_EXHAUSTED, "file over memory_limit_kb");
    expect_message_names_path(message, path, "file over memory_limit_kb");
    cr_assert(!raw_is_mapped(path), "the file refused by memory_limit_kb was mapped");

    options.memory_limit_kb = size_kb_floor + 1;
    module_handle_t handle = CAND(module_load_with_options)(system, path, &options);
    cr_assert(handle != NULL, "a %lld-byte file failed with memory_limit_kb %u: %s",
              (long long)st.st_size, size_kb_floor + 1, error_name(CAND(module_get_last_error)()));
    expect_success("file under memory_limit_kb");
    options.memory_limit_kb = 0;
    cr_assert(CAND(module_load_with_options)(system, path, &options) == handle,
              "memory_limit_kb 0 (no limit) failed: %s", error_name(CAND(module_get_last_error)()));
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_options, CORE_OPT_003, "3.10", "prefer_performance_cores is accepted")
{
    module_system_t* system = case_system_new(NULL, 0);
    module_load_options_t options = plain_options();
    options.prefer_performance_cores = true;
    module_handle_t handle = CAND(module_load_with_options)(system, fixture_module("example_module"), &options);
    cr_assert(handle != NULL, "prefer_performance_cores = true failed: %s",
              error_name(CAND(module_get_last_error)()));
    expect_success("module_load_with_options(prefer_performance_cores)");
    int (*example_function)(int);
    void* symbol = case_symbol(handle, "example_function");
    memcpy(&example_function, &symbol, sizeof(example_function));
    cr_assert(example_function(5) == 10, "example_function(5) returned %d", example_function(5));
    case_system_destroy(system);
}

/* A load needing an unsupported option: SYSTEM_ERROR "not supported" and nothing loaded ends the
 * case as not_supported; anything else fails it. */
static void expect_unsupported_option(const module_load_options_t* options, const char* what)
{
    capture_start();
    module_system_t* system = case_system_new(NULL, 0);
    const char* path = case_copy(fixture_module("lifecycle_counter"), "lifecycle_counter.so");
    module_handle_t handle = CAND(module_load_with_options)(system, path, options);
    if (handle != NULL) {
        conformance_fail("%s loaded; SPEC 3.10: not supported in this release, the call must fail "
                         "with MODULE_ERROR_SYSTEM_ERROR", what);
    }
    const char* message = expect_failure(MODULE_ERROR_SYSTEM_ERROR, what);
    if (strcasestr(message, "not supported") == NULL) {
        conformance_fail("%s: SYSTEM_ERROR with the message \"%s\", which does not say \"not "
                         "supported\" (SPEC 3.10)", what, message);
    }
    cr_assert(!raw_is_mapped(path) && fixture_log_count("init lifecycle_counter") == 0,
              "%s was refused but the module was opened", what);
    conformance_not_supported("the candidate does not support %s (%s)", what, message);
}

CONFORMANCE_CASE(core_options, CORE_OPT_004, "3.10", "enable_hot_reload (not supported in this release)")
{
    module_load_options_t options = plain_options();
    options.enable_hot_reload = true;
    expect_unsupported_option(&options, "enable_hot_reload = true");
}

CONFORMANCE_CASE(core_options, CORE_OPT_005, "3.10", "a security_policy (not supported in this release)")
{
    module_load_options_t options = plain_options();
    options.security_policy = "strict";
    expect_unsupported_option(&options, "security_policy \"strict\"");
}

CONFORMANCE_CASE(core_options, CORE_OPT_006, "1.2", "module_load_with_options validates system and path like module_load")
{
    capture_start();
    module_system_t* system = case_system_new(NULL, 0);
    module_load_options_t options = plain_options();
    cr_assert(CAND(module_load_with_options)(NULL, fixture_module("example_module"), &options) == NULL,
              "a NULL system was accepted");
    expect_message_contains(expect_failure(MODULE_ERROR_INVALID_PARAMETER, "NULL system"), "system",
                            "NULL system");
    cr_assert(CAND(module_load_with_options)(system, NULL, &options) == NULL, "a NULL path was accepted");
    expect_message_contains(expect_failure(MODULE_ERROR_INVALID_PARAMETER, "NULL module_path"),
                            "module_path", "NULL module_path");
    cr_assert(CAND(module_load_with_options)(system, "", &options) == NULL, "an empty path was accepted");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER, "empty module_path");
    cr_assert(CAND(module_load_with_options)(system, guard_unterminated(COREMOD_PATH_MAX, 'a'), &options) == NULL,
              "a 4096-byte path was accepted");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER, "4096-byte module_path");
    case_system_destroy(system);
}
