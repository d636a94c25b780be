/*
 * cases_system.c — system lifecycle: defaults, configuration, independent systems, destroy,
 * feature flags (SPEC 2.1-2.5 document; 2.3, 2.7, 2.8, 3.11 coremod).
 */
#include <stdlib.h>
#include <unistd.h>

#include "conformance.h"

/* Distinct copies of plain_module named <prefix><i>.so in case directory `dir`. */
static const char* copy_plain_modules(const char* dir, const char* prefix, size_t count)
{
    const char* source = fixture_module("plain_module");
    case_mkdir(dir);
    for (size_t i = 0; i < count; i++) {
        case_copy(source, case_strf("%s/%s%zu.so", dir, prefix, i));
    }
    return case_path(dir);
}

CONFORMANCE_CASE(core_system, CORE_SYS_001, "2.1",
                 "module_system_init(NULL) succeeds and finds a bare name in ./modules")
{
    case_mkdir("modules");
    case_copy(fixture_module("plain_module"), "modules/plain_module.so");
    cr_assert(chdir(case_dir()) == 0, "harness: chdir %s", case_dir());

    module_system_t* system = CAND(module_system_init)(NULL);
    cr_assert(system != NULL,
              "module_system_init(NULL) returned NULL (last error %s); SPEC 2.1: "
              "NULL means the default configuration",
              error_name(CAND(module_get_last_error)()));
    case_system_track(system);
    module_handle_t handle = CAND(module_load)(system, "plain_module.so");
    cr_assert(
        handle != NULL,
        "module_load(\"plain_module.so\") in a default system failed with %s, "
        "although ./modules/plain_module.so exists (SPEC 2.1, 3.1: the default search path is "
        "\"./modules\")",
        error_name(CAND(module_get_last_error)()));
    case_unload(handle);
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_system, CORE_SYS_013, "3.11",
                 "the default search path \"./modules\" does not include the current directory")
{
    case_mkdir("modules");
    case_copy(fixture_module("example_module"), "example_module.so"); /* in the cwd only */
    cr_assert(chdir(case_dir()) == 0, "harness: chdir %s", case_dir());
    module_system_t* system = CAND(module_system_init)(NULL);
    cr_assert(system != NULL, "module_system_init(NULL) failed: %s",
              error_name(CAND(module_get_last_error)()));
    case_system_track(system);
    cr_assert(CAND(module_load)(system, "example_module.so") == NULL,
              "module_load(\"example_module.so\") found the file in the current directory, which "
              "is not on the default search path \"./modules\" (SPEC 3.11)");
    expect_last_error(MODULE_ERROR_FILE_NOT_FOUND, "bare name absent from ./modules");
    case_system_destroy(system);
}

CONFORMANCE_CASE_TIMEOUT(core_system, CORE_SYS_002, "2.1",
                         "the default limit is 1000 distinct modules", 60.0)
{
    const char* dir = copy_plain_modules("many", "m", 1001);
    module_system_t* system = CAND(module_system_init)(NULL);
    cr_assert(system != NULL, "module_system_init(NULL) returned NULL with %s; expected a system",
              error_name(CAND(module_get_last_error)()));
    case_system_track(system);
    for (size_t i = 0; i < 1000; i++) {
        case_load(system, case_strf("%s/m%zu.so", dir, i));
    }
    const char* extra = case_strf("%s/m1000.so", dir);
    cr_assert(CAND(module_load)(system, extra) == NULL,
              "the 1001st distinct module loaded; the default max_concurrent_modules is 1000");
    expect_last_error(MODULE_ERROR_RESOURCE_EXHAUSTED, "1001st distinct module");
    case_system_destroy(system);
}

/* module_system_init(config) must fail with INVALID_PARAMETER and a message naming `field`. */
static void expect_config_rejected(const module_system_config_t* config, const char* field,
                                   const char* what)
{
    module_system_t* system = CAND(module_system_init)(config);
    if (system != NULL) {
        case_system_track(system);
        conformance_fail("module_system_init accepted %s; expected NULL with INVALID_PARAMETER "
                         "(SPEC 2.7: at most 65536, a search path of at most 4095 bytes)",
                         what);
    }
    const char* message = expect_failure(MODULE_ERROR_INVALID_PARAMETER, what);
    expect_message_contains(message, field, what);
}

CONFORMANCE_CASE(core_system, CORE_SYS_003, "2.7",
                 "limits above 65536 and an over-long search path are rejected with "
                 "INVALID_PARAMETER naming the field")
{
    capture_start();
    module_system_config_t config = case_default_config(NULL);
    const uint32_t bad_counts[] = {65537, UINT32_MAX};
    for (size_t i = 0; i < sizeof(bad_counts) / sizeof(bad_counts[0]); i++) {
        config = case_default_config(NULL);
        config.max_concurrent_modules = bad_counts[i];
        expect_config_rejected(&config, "max_concurrent_modules",
                               case_strf("max_concurrent_modules = %u", bad_counts[i]));
        config = case_default_config(NULL);
        config.memory_pool_size_mb = bad_counts[i];
        expect_config_rejected(&config, "memory_pool_size_mb",
                               case_strf("memory_pool_size_mb = %u", bad_counts[i]));
    }
    /* 4096 bytes without a terminator, then an inaccessible page: the limit is 4095 (SPEC 1.4). */
    config = case_default_config(guard_unterminated(COREMOD_PATH_MAX, 'p'));
    expect_config_rejected(&config, "module_search_path", "a 4096-byte module_search_path");
}

CONFORMANCE_CASE(
    core_system, CORE_SYS_004, "2.7",
    "boundary configurations are accepted (1 and 65536 modules and MB, a 4095-byte search path)")
{
    const uint32_t good[] = {1, 65536};
    for (size_t i = 0; i < 2; i++) {
        module_system_config_t config = case_default_config(NULL);
        config.max_concurrent_modules = good[i];
        case_system_destroy(case_system_with_config(&config));
        config = case_default_config(NULL);
        config.memory_pool_size_mb = good[i];
        case_system_destroy(case_system_with_config(&config));
    }
    /* A real 4095-byte search path: empty elements (skipped, SPEC 3.11) then the directory, whose
     * NUL is the last accessible byte. A long directory name instead would make the joined file
     * path exceed PATH_MAX. */
    const char* dir = copy_plain_modules("d", "p", 1);
    size_t dir_length = strlen(dir);
    char* text = case_alloc(COREMOD_PATH_MAX);
    memset(text, ':', COREMOD_PATH_MAX - 1 - dir_length);
    memcpy(text + COREMOD_PATH_MAX - 1 - dir_length, dir, dir_length + 1);
    cr_assert(strlen(text) == COREMOD_PATH_MAX - 1, "harness: built %zu bytes", strlen(text));
    module_system_config_t config = case_default_config(guard_terminated(text));
    module_system_t* system = case_system_with_config(&config);
    module_handle_t handle = case_load(system, "p0.so");
    case_unload(handle);
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_system, CORE_SYS_005, "2.2",
                 "a NULL module_search_path in a config means ./modules")
{
    case_mkdir("modules");
    case_copy(fixture_module("plain_module"), "modules/plain_module.so");
    cr_assert(chdir(case_dir()) == 0, "harness: chdir %s", case_dir());
    module_system_config_t config = case_default_config(NULL);
    config.max_concurrent_modules = 5;
    module_system_t* system = case_system_with_config(&config);
    module_handle_t handle = case_load(system, "plain_module.so");
    case_unload(handle);
    case_system_destroy(system);
}

CONFORMANCE_CASE(
    core_system, CORE_SYS_006, "2.2",
    "the configuration structure is copied: changing or freeing it after init changes nothing")
{
    const char* dir = copy_plain_modules("first", "m", 2);
    const char* other = case_mkdir("second");
    module_system_config_t* config = malloc(sizeof(*config));
    cr_assert(config != NULL, "harness: out of memory");
    *config = case_default_config(dir); /* the string itself stays as it is (2.7 copies it) */
    config->max_concurrent_modules = 1;
    module_system_t* system = case_system_with_config(config);

    /* Overwrite then free the structure: a candidate that kept its pointer reads freed memory. */
    config->max_concurrent_modules = 1000;
    config->module_search_path = other;
    free(config);

    module_handle_t handle = CAND(module_load)(system, "m0.so");
    cr_assert(handle != NULL,
              "module_load(\"m0.so\") failed with %s after the configuration "
              "structure was changed and freed; the system must have kept the search path %s "
              "(SPEC 2.2: the configuration is copied)",
              error_name(CAND(module_get_last_error)()), dir);
    cr_assert(CAND(module_load)(system, "m1.so") == NULL,
              "a second distinct module loaded in a system created with max_concurrent_modules 1, "
              "after the caller changed its structure to 1000: the limit was not copied at init "
              "(SPEC 2.2)");
    expect_last_error(MODULE_ERROR_RESOURCE_EXHAUSTED, "second module with a copied limit of 1");
    case_unload(handle);
    case_system_destroy(system);
}

CONFORMANCE_CASE(
    core_system, CORE_SYS_014, "2.7",
    "the search path string is copied: overwriting and freeing it after init changes nothing")
{
    const char* dir = copy_plain_modules("first", "m", 1);
    char* search_path = strdup(dir);
    cr_assert(search_path != NULL, "harness: out of memory");
    module_system_config_t config = case_default_config(search_path);
    module_system_t* system = case_system_with_config(&config);
    memset(search_path, 'x', strlen(search_path));
    free(search_path);
    module_handle_t handle = CAND(module_load)(system, "m0.so");
    cr_assert(handle != NULL,
              "module_load(\"m0.so\") failed with %s after the caller overwrote "
              "and freed its search path string %s (SPEC 2.7: the string is copied at init)",
              error_name(CAND(module_get_last_error)()), dir);
    case_unload(handle);
    case_system_destroy(system);
}

CONFORMANCE_CASE(
    core_system, CORE_SYS_007, "2.3",
    "two systems loading one file get distinct handles with their own reference counts")
{
    const char* path = fixture_module("example_module");
    module_system_t* first = case_system_new(NULL, 0);
    module_system_t* second = case_system_new(NULL, 0);
    cr_assert(first != second, "two module_system_init calls returned the same system");
    module_handle_t a = case_load(first, path);
    module_handle_t a_again = case_load(first, path);
    module_handle_t b = case_load(second, path);
    cr_assert(a == a_again, "the same file loaded twice in one system gave two handles");
    cr_assert(a != b, "the same file in two systems gave the same handle (SPEC 2.3)");
    cr_assert(case_refcount(a) == 2 && case_refcount(b) == 1,
              "reference counts %u and %u, expected 2 (first system) and 1 (second)",
              case_refcount(a), case_refcount(b));
    case_unload(b);
    cr_assert(case_refcount(a) == 2, "unloading in the second system changed the first's count");
    int (*example_function)(int);
    void* symbol = case_symbol(a, "example_function");
    memcpy(&example_function, &symbol, sizeof(example_function));
    cr_assert(example_function(21) == 42, "example_function no longer works in the first system");
    case_system_destroy(second);
    cr_assert(case_refcount(a) == 2, "destroying the second system changed the first's module");
    case_system_destroy(first);
}

CONFORMANCE_CASE(core_system, CORE_SYS_008, "2.3",
                 "each system has its own limit and its own modules")
{
    const char* dir = copy_plain_modules("mods", "m", 3);
    module_system_t* narrow = case_system_new(dir, 1);
    module_system_t* wide = case_system_new(dir, 2);
    module_handle_t n0 = case_load(narrow, "m0.so");
    cr_assert(CAND(module_load)(narrow, "m1.so") == NULL,
              "a system with limit 1 opened a second module");
    expect_last_error(MODULE_ERROR_RESOURCE_EXHAUSTED, "second module in the system with limit 1");
    module_handle_t w1 = case_load(wide, "m1.so");
    module_handle_t w2 = case_load(wide, "m2.so");
    cr_assert(n0 != w1 && w1 != w2, "distinct modules share a handle");
    case_system_destroy(narrow);
    cr_assert(case_refcount(w1) == 1 && case_refcount(w2) == 1,
              "destroying one system affected the other's modules");
    case_system_destroy(wide);
}

CONFORMANCE_CASE(core_system, CORE_SYS_009, "2.8",
                 "destroy runs each loaded module's cleanup once, in reverse order of first load")
{
    module_system_t* system = case_system_new(NULL, 0);
    const char* order[] = {"lifecycle_counter", "graphics_renderer", "ai_engine",
                           "interface_precedence"};
    for (size_t i = 0; i < 4; i++) {
        case_load(system, fixture_module(order[i]));
    }
    case_load(system, fixture_module("lifecycle_counter")); /* count 2: still one cleanup */
    case_load(system, fixture_module("graphics_renderer"));
    fixture_log_clear();
    case_system_destroy(system);
    long previous = -1;
    for (size_t i = 4; i-- > 0;) {
        const char* line = case_strf("cleanup %s", order[i]);
        cr_assert(fixture_log_count(line) == 1,
                  "\"%s\" logged %zu times at destroy, expected "
                  "once; log:\n%s",
                  line, fixture_log_count(line), fixture_log_read());
        long index = fixture_log_index(line);
        cr_assert(index > previous,
                  "cleanups at destroy are not in reverse order of first load "
                  "(expected interface_precedence, ai_engine, graphics_renderer, "
                  "lifecycle_counter); log:\n%s",
                  fixture_log_read());
        previous = index;
    }
    cr_assert(fixture_log_count("toplevel-cleanup interface_precedence") == 0,
              "destroy ran interface_precedence's top-level cleanup (SPEC 3.6)");
}

CONFORMANCE_CASE(
    core_system, CORE_SYS_010, "2.8",
    "after destroy, its handles and the system itself are invalid and its modules are closed")
{
    capture_start();
    const char* dir = copy_plain_modules("mods", "m", 2);
    module_system_t* system = case_system_new(dir, 0);
    module_handle_t h0 = case_load(system, "m0.so");
    module_handle_t h1 = case_load(system, "m1.so");
    case_load(system, "m1.so");
    capture_take(NULL);
    CAND(module_system_destroy)(system);
    case_system_forget(system);
    expect_success("module_system_destroy");

    module_handle_t handles[] = {h0, h1};
    for (size_t i = 0; i < 2; i++) {
        const char* path = case_strf("%s/m%zu.so", dir, i);
        cr_assert(!raw_is_mapped(path), "%s is still mapped after destroy", path);
        module_info_t info;
        cr_assert(!CAND(module_get_info)(handles[i], &info),
                  "module_get_info succeeded on a handle of a destroyed system");
        expect_failure(MODULE_ERROR_INVALID_PARAMETER, "module_get_info after destroy");
        cr_assert(CAND(module_get_symbol)(handles[i], "plain_value") == NULL,
                  "module_get_symbol succeeded on a handle of a destroyed system");
        expect_failure(MODULE_ERROR_INVALID_PARAMETER, "module_get_symbol after destroy");
        cr_assert(!CAND(module_unload)(handles[i]),
                  "module_unload succeeded on a handle of a destroyed system");
        expect_failure(MODULE_ERROR_INVALID_PARAMETER, "module_unload after destroy");
    }
    cr_assert(CAND(module_load)(system, "m0.so") == NULL,
              "module_load on a destroyed system succeeded");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER, "module_load on a destroyed system");
    cr_assert(CAND(module_load_with_options)(system, "m0.so", NULL) == NULL,
              "module_load_with_options on a destroyed system succeeded");
    expect_failure(MODULE_ERROR_INVALID_PARAMETER,
                   "module_load_with_options on a destroyed system");
    CAND(module_system_destroy)(system);
    expect_failure(MODULE_ERROR_INVALID_PARAMETER, "module_system_destroy of a destroyed system");
}

CONFORMANCE_CASE(
    core_system, CORE_SYS_011, "2.8",
    "destroy(NULL) fails with INVALID_PARAMETER; destroying a live system resets the last error")
{
    capture_start();
    CAND(module_system_destroy)(NULL);
    const char* message =
        expect_failure(MODULE_ERROR_INVALID_PARAMETER, "module_system_destroy(NULL)");
    expect_message_contains(message, "system", "module_system_destroy(NULL)");
    module_system_t* system = case_system_new(NULL, 0);
    CAND(module_system_destroy)(NULL);
    capture_take(NULL);
    case_system_destroy(system);
    expect_success("module_system_destroy of a live system after a failing call");
}

CONFORMANCE_CASE(core_system, CORE_SYS_012, "2.5",
                 "every combination of the feature flags is accepted and modules load under it")
{
    const char* path = fixture_module("example_module");
    for (unsigned flags = 0; flags < 16; flags++) {
        module_system_config_t config = case_default_config(NULL);
        config.enable_jit_optimization = flags & 1u;
        config.enable_cache_optimization = flags & 2u;
        config.enable_numa_placement = flags & 4u;
        config.enable_security_sandboxing = flags & 8u;
        module_system_t* system = case_system_with_config(&config);
        module_handle_t handle = case_load(system, path);
        int (*example_function)(int);
        void* symbol = case_symbol(handle, "example_function");
        memcpy(&example_function, &symbol, sizeof(example_function));
        cr_assert(example_function(1) == 2, "example_function broken under flags %#x", flags);
        case_system_destroy(system);
    }
}

/* Returns a system for `config`, failing the case with `what` (a document example) if it is
 * refused, and checks that a module loads and works in it. */
static void expect_config_works(const module_system_config_t* config, const char* what)
{
    module_system_t* system = CAND(module_system_init)(config);
    cr_assert(system != NULL,
              "module_system_init refused %s (last error %s); SPEC 2.2: every "
              "configuration the document shows is accepted, a field left zero taking its "
              "default",
              what, error_name(CAND(module_get_last_error)()));
    case_system_track(system);
    module_handle_t handle = CAND(module_load)(system, fixture_module("example_module"));
    cr_assert(handle != NULL, "in a system made from %s, module_load(\"%s\") failed with %s", what,
              fixture_module("example_module"), error_name(CAND(module_get_last_error)()));
    int (*example_function)(int);
    void* symbol = case_symbol(handle, "example_function");
    memcpy(&example_function, &symbol, sizeof(example_function));
    cr_assert(example_function(3) == 6, "example_function(3) returned %d in a system made from %s",
              example_function(3), what);
    case_unload(handle);
    case_system_destroy(system);
}

CONFORMANCE_CASE(
    core_system, CORE_SYS_015, "2.2",
    "the document's example configurations are accepted (fields left unset take their defaults)")
{
    /* module_system_init's example: a search directory that need not exist at init. */
    const module_system_config_t init_example = {
        .max_concurrent_modules = 500,
        .memory_pool_size_mb = 50,
        .enable_jit_optimization = true,
        .enable_cache_optimization = true,
        .enable_numa_placement = true,
        .enable_security_sandboxing = true,
        .module_search_path = "/opt/simcity/modules",
    };
    expect_config_works(&init_example, "the module_system_init example (500 modules, 50 MB, "
                                       "search path /opt/simcity/modules)");
    const module_system_config_t memory_example = {
        .memory_pool_size_mb = 50,
        .max_concurrent_modules = 1000,
    };
    expect_config_works(&memory_example, "the Memory Usage Optimization example (50 MB, 1000 "
                                         "modules, every other field zero)");
    const module_system_config_t scaling_example = {
        .max_concurrent_modules = 1500,
        .enable_numa_placement = true,
    };
    expect_config_works(&scaling_example, "the Concurrent Module Scaling example (1500 modules, "
                                          "memory_pool_size_mb 0, no search path)");
    const module_system_config_t complete_example = {
        .max_concurrent_modules = 1000,
        .memory_pool_size_mb = 100,
        .enable_jit_optimization = true,
        .enable_cache_optimization = true,
        .enable_numa_placement = true,
        .enable_security_sandboxing = true,
    };
    expect_config_works(&complete_example, "the Complete Example's config (no search path)");
    const module_system_config_t zeros = {0};
    expect_config_works(&zeros, "a configuration with every field zero");
}

CONFORMANCE_CASE_TIMEOUT(
    core_system, CORE_SYS_016, "2.2",
    "max_concurrent_modules 0 means the default 1000; a NULL search path means ./modules", 60.0)
{
    copy_plain_modules("modules", "m", 1001);
    cr_assert(chdir(case_dir()) == 0, "harness: chdir %s", case_dir());
    module_system_config_t config = {0};
    module_system_t* system = CAND(module_system_init)(&config);
    cr_assert(system != NULL,
              "module_system_init refused a configuration of zero fields (last "
              "error %s); SPEC 2.2: a field left zero takes its default",
              error_name(CAND(module_get_last_error)()));
    case_system_track(system);
    for (size_t i = 0; i < 1000; i++) {
        case_step("loading module %zu of 1000 by bare name from ./modules", i + 1);
        const char* name = case_strf("m%zu.so", i);
        if (CAND(module_load)(system, name) == NULL) {
            conformance_fail("with max_concurrent_modules 0 (the default, 1000) and no search path "
                             "(the default, ./modules), loading %s, distinct module %zu, failed "
                             "with %s (SPEC 2.2, 2.1)",
                             name, i + 1, error_name(CAND(module_get_last_error)()));
        }
    }
    case_step("loading a 1001st distinct module");
    cr_assert(CAND(module_load)(system, "m1000.so") == NULL,
              "a 1001st distinct module loaded with max_concurrent_modules 0; SPEC 2.2: 0 means "
              "the default limit, 1000");
    expect_last_error(MODULE_ERROR_RESOURCE_EXHAUSTED,
                      "1001st distinct module at the default limit");
    case_system_destroy(system);
}

CONFORMANCE_CASE(core_system, CORE_SYS_017, "2.4",
                 "the Quick Start sequence: load, unload each module, then destroy the system")
{
    module_system_t* empty = CAND(module_system_init)(NULL);
    cr_assert(empty != NULL, "module_system_init(NULL) failed: %s",
              error_name(CAND(module_get_last_error)()));
    CAND(module_system_destroy)(empty); /* a system that never loaded anything */
    module_system_t* system = CAND(module_system_init)(NULL);
    cr_assert(system != NULL, "module_system_init(NULL) failed: %s",
              error_name(CAND(module_get_last_error)()));
    module_handle_t a = case_load(system, fixture_module("example_module"));
    module_handle_t b = case_load(system, fixture_module("plain_module"));
    case_unload(a);
    case_unload(b);
    CAND(module_system_destroy)(system); /* must return: the case ends after it */
}
