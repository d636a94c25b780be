/*
 * cases_options.c — module_load_with_options (SPEC 3.10 document; 3.14, 3.15, 1.5 coremod).
 *
 * The document's only example of the function asks for hot reload and a security policy, and
 * describes neither. A candidate may load with them or refuse them with a documented error (SPEC
 * 3.10): a load passes, a refusal makes the document-level cases not_supported (never a pass,
 * never a failure). How the reference refuses them is coremod's 3.15 (CORE-OPT-009).
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

CONFORMANCE_CASE(core_options, CORE_OPT_001, "3.14", "options == NULL behaves as module_load")
{
    capture_start();
    module_system_t* system = case_system_new(NULL, 0);
    const char* path = fixture_module("example_module");
    module_handle_t handle = CAND(module_load_with_options)(system, path, NULL);
    cr_assert(handle != NULL, "module_load_with_options(..., NULL) failed: %s",
              error_name(CAND(module_get_last_error)()));
    expect_success("module_load_with_options(NULL options)");
    cr_assert(case_load(system, path) == handle,
              "module_load of the same file gave another handle");
    cr_assert(case_refcount(handle) == 2, "reference count %u, expected 2", case_refcount(handle));
    cr_assert(CAND(module_load_with_options)(system, case_path("missing.so"), NULL) == NULL,
              "a missing file loaded with NULL options");
    expect_failure(MODULE_ERROR_FILE_NOT_FOUND, "module_load_with_options of a missing file");
    case_system_destroy(system);
}

CONFORMANCE_CASE(
    core_options, CORE_OPT_002, "3.14",
    "memory_limit_kb: 0 is no limit; a file over the limit fails with RESOURCE_EXHAUSTED")
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
              "a %lld-byte file loaded with memory_limit_kb %u", (long long)st.st_size,
              size_kb_floor);
    const char* message =
        expect_failure(MODULE_ERROR_RESOURCE_EXHAUSTED, "file over memory_limit_kb");
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

CONFORMANCE_CASE(core_options, CORE_OPT_003, "3.14", "prefer_performance_cores is accepted")
{
    module_system_t* system = case_system_new(NULL, 0);
    module_load_options_t options = plain_options();
    options.prefer_performance_cores = true;
    module_handle_t handle =
        CAND(module_load_with_options)(system, fixture_module("example_module"), &options);
    cr_assert(handle != NULL, "prefer_performance_cores = true failed: %s",
              error_name(CAND(module_get_last_error)()));
    expect_success("module_load_with_options(prefer_performance_cores)");
    int (*example_function)(int);
    void* symbol = case_symbol(handle, "example_function");
    memcpy(&example_function, &symbol, sizeof(example_function));
    cr_assert(example_function(5) == 10, "example_function(5) returned %d", example_function(5));
    case_system_destroy(system);
}

/* SPEC 3.10: module_load_with_options(options) either loads — a handle whose symbols can be
 * looked up — or fails with one of the nine documented codes; a refusal ends the case
 * not_supported. Anything else fails it. */
static void expect_loads_or_documented_refusal(const module_load_options_t* options,
                                               const char* what)
{
    module_system_t* system = case_system_new(NULL, 0);
    const char* path = fixture_module("example_module");
    case_step("module_load_with_options(%s) with %s", path, what);
    module_handle_t handle = CAND(module_load_with_options)(system, path, options);
    if (handle == NULL) {
        module_error_t error = CAND(module_get_last_error)();
        if (error == MODULE_SUCCESS || (int)error < 0 || (int)error >= DOCUMENTED_ERROR_COUNT) {
            conformance_fail("module_load_with_options with %s returned NULL and the last error "
                             "is %s; expected a handle, or NULL with one of the nine documented "
                             "error codes (SPEC 3.10)",
                             what, error_name(error));
        }
        conformance_not_supported("the candidate refuses %s with %s (allowed: SPEC 3.10)", what,
                                  error_name(error));
    }
    void* symbol = CAND(module_get_symbol)(handle, "example_function");
    cr_assert(symbol != NULL,
              "module_load_with_options with %s returned a handle, but "
              "module_get_symbol(\"example_function\") on it failed with %s; expected a handle "
              "that works as module_load's does (SPEC 3.10)",
              what, error_name(CAND(module_get_last_error)()));
    int (*example_function)(int);
    memcpy(&example_function, &symbol, sizeof(example_function));
    cr_assert(example_function(7) == 14,
              "example_function(7) returned %d through a handle loaded "
              "with %s",
              example_function(7), what);
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_options, CORE_OPT_004, "3.10",
                 "enable_hot_reload: the load succeeds or fails with a documented error")
{
    module_load_options_t options = plain_options();
    options.enable_hot_reload = true;
    expect_loads_or_documented_refusal(&options, "enable_hot_reload = true");
}

CONFORMANCE_CASE(core_options, CORE_OPT_005, "3.10",
                 "a security_policy: the load succeeds or fails with a documented error")
{
    module_load_options_t options = plain_options();
    options.security_policy = "strict";
    expect_loads_or_documented_refusal(&options, "security_policy \"strict\"");
}

CONFORMANCE_CASE(
    core_options, CORE_OPT_008, "3.10",
    "the document's example options: the load succeeds or fails with a documented error")
{
    const module_load_options_t options = {
        .enable_hot_reload = true,
        .prefer_performance_cores = true,
        .memory_limit_kb = 1024,
        .security_policy = "strict",
    };
    expect_loads_or_documented_refusal(&options, "the document's options (enable_hot_reload, "
                                                 "prefer_performance_cores, memory_limit_kb 1024, "
                                                 "security_policy \"strict\")");
}

/* SPEC 3.15: a candidate that loads with the option passes; one that refuses must do so with
 * SYSTEM_ERROR, a message saying "not supported", and nothing opened. */
static void expect_supported_or_refused_cleanly(const module_load_options_t* options,
                                                const char* what)
{
    capture_start();
    module_system_t* system = case_system_new(NULL, 0);
    const char* path = case_copy(fixture_module("lifecycle_counter"), "lifecycle_counter.so");
    capture_take(NULL);
    module_handle_t handle = CAND(module_load_with_options)(system, path, options);
    if (handle != NULL) {
        case_system_destroy(system); /* supported: 3.15 has nothing more to say */
        return;
    }
    const char* message = expect_failure(MODULE_ERROR_SYSTEM_ERROR, what);
    if (strcasestr(message, "not supported") == NULL) {
        conformance_fail("%s was refused with SYSTEM_ERROR and the message \"%s\", which does "
                         "not say \"not supported\" (SPEC 3.15)",
                         what, message);
    }
    cr_assert(!raw_is_mapped(path) && fixture_log_count("init lifecycle_counter") == 0,
              "%s was refused but the module was opened (mapped or its init ran); SPEC 3.15: the "
              "refusal opens nothing",
              what);
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_options, CORE_OPT_009, "3.15",
                 "hot reload and security policies are supported, or refused with SYSTEM_ERROR "
                 "\"not supported\" opening nothing")
{
    module_load_options_t options = plain_options();
    options.enable_hot_reload = true;
    expect_supported_or_refused_cleanly(&options, "enable_hot_reload = true");
    options = plain_options();
    options.security_policy = "strict";
    expect_supported_or_refused_cleanly(&options, "security_policy \"strict\"");
}

CONFORMANCE_CASE(
    core_options, CORE_OPT_006, "1.2",
    "module_load_with_options fails with INVALID_PARAMETER for a NULL system or a NULL path")
{
    module_system_t* system = case_system_new(NULL, 0);
    module_load_options_t options = plain_options();
    cr_assert(CAND(module_load_with_options)(NULL, fixture_module("example_module"), &options) ==
                  NULL,
              "module_load_with_options(NULL system, ...) returned a handle; expected NULL with "
              "INVALID_PARAMETER (SPEC 1.2)");
    expect_last_error(MODULE_ERROR_INVALID_PARAMETER, "module_load_with_options(NULL system, ...)");
    cr_assert(CAND(module_load_with_options)(system, NULL, &options) == NULL,
              "module_load_with_options(system, NULL path, ...) returned a handle; expected NULL "
              "with INVALID_PARAMETER (SPEC 1.2)");
    expect_last_error(MODULE_ERROR_INVALID_PARAMETER,
                      "module_load_with_options(system, NULL, ...)");
    case_system_destroy(system);
}

CONFORMANCE_CASE(
    core_options, CORE_OPT_007, "1.5",
    "module_load_with_options rejects empty and over-long paths; its messages name the argument")
{
    capture_start();
    module_system_t* system = case_system_new(NULL, 0);
    module_load_options_t options = plain_options();
    capture_take(NULL);
    cr_assert(CAND(module_load_with_options)(NULL, fixture_module("example_module"), &options) ==
                  NULL,
              "a NULL system was accepted");
    expect_message_contains(expect_failure(MODULE_ERROR_INVALID_PARAMETER, "NULL system"), "system",
                            "NULL system");
    cr_assert(CAND(module_load_with_options)(system, NULL, &options) == NULL,
              "a NULL path was accepted");
    expect_message_contains(expect_failure(MODULE_ERROR_INVALID_PARAMETER, "NULL module_path"),
                            "module_path", "NULL module_path");
    cr_assert(CAND(module_load_with_options)(system, "", &options) == NULL,
              "an empty path was accepted; expected INVALID_PARAMETER (SPEC 1.5)");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER, "empty module_path");
    cr_assert(CAND(module_load_with_options)(system, guard_unterminated(COREMOD_PATH_MAX, 'a'),
                                             &options) == NULL,
              "a 4096-byte path was accepted; expected INVALID_PARAMETER (SPEC 1.4, 1.5)");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER, "4096-byte module_path");
    case_system_destroy(system);
}
