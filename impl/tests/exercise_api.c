/*
 * exercise_api.c — error reporting, system lifecycle and load arguments (SPEC 1.2, 1.4, 2, 3.1,
 * 3.4, 3.5, 3.10, 7).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exercise_support.h"

void exercise_errors(void)
{
    static const module_error_t documented[] = {
        MODULE_SUCCESS,
        MODULE_ERROR_INVALID_PARAMETER,
        MODULE_ERROR_OUT_OF_MEMORY,
        MODULE_ERROR_FILE_NOT_FOUND,
        MODULE_ERROR_INVALID_MODULE,
        MODULE_ERROR_SYMBOL_NOT_FOUND,
        MODULE_ERROR_SECURITY_VIOLATION,
        MODULE_ERROR_RESOURCE_EXHAUSTED,
        MODULE_ERROR_SYSTEM_ERROR,
    };
    size_t count = sizeof(documented) / sizeof(documented[0]);
    CHECK(module_get_last_error() == MODULE_SUCCESS, "a thread that made no call sees %d",
          module_get_last_error());
    for (size_t i = 0; i < count; i++) {
        const char* text = module_get_error_string(documented[i]);
        CHECK(text != NULL && text[0] != '\0', "error %zu has no string", i);
        CHECK(text == module_get_error_string(documented[i]), "error %zu: pointer not stable", i);
        for (size_t j = 0; j < i && text != NULL; j++) {
            CHECK(strcmp(text, module_get_error_string(documented[j])) != 0,
                  "errors %zu and %zu share the string \"%s\"", i, j, text);
        }
    }
    const module_error_t unknown[] = {(module_error_t)9, (module_error_t)99, (module_error_t)-1,
                                      (module_error_t)0x7fffffff};
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        const char* text = module_get_error_string(unknown[i]);
        CHECK(text != NULL && strcmp(text, "unknown error") == 0, "value %d gives \"%s\"",
              (int)unknown[i], text != NULL ? text : "(null)");
    }

    /* A failure sets the last error; the three error functions never change it (SPEC 7.1). */
    recorder_install();
    CHECK(module_load(NULL, "x.so") == NULL, "load with a NULL system succeeded");
    EXPECT_FAILURE(MODULE_ERROR_INVALID_PARAMETER, "system", "load(NULL system)");
    CHECK(module_load(NULL, "x.so") == NULL, "load with a NULL system succeeded");
    recorder_reset();
    module_get_error_string(MODULE_SUCCESS);
    module_set_error_callback(NULL);
    CHECK(module_get_last_error() == MODULE_ERROR_INVALID_PARAMETER,
          "error functions changed the last error to %d", module_get_last_error());
    /* With the callback removed, failures are still recorded but nothing is called. */
    CHECK(module_get_symbol(NULL, "x") == NULL, "lookup on NULL succeeded");
    CHECK(recorder_calls() == 0, "removed callback was called");
    recorder_install();
    module_system_t* system = module_system_init(NULL);
    CHECK(system != NULL, "init(NULL) failed");
    EXPECT_SUCCESS("init resets the last error");
    module_system_destroy(system);
    EXPECT_SUCCESS("destroy");
}

static void expect_bad_config(const module_system_config_t* config, const char* field)
{
    CHECK(module_system_init(config) == NULL, "config with bad %s accepted", field);
    EXPECT_FAILURE(MODULE_ERROR_INVALID_PARAMETER, field, "bad config");
}

void exercise_systems(void)
{
    /* SPEC 2.2: fields left zero take their defaults (2.1), as in the document's own partial
     * configurations; SPEC 2.7: values above 65536 are refused, naming the field. */
    module_system_config_t zeros = {0};
    module_system_t* defaulted = module_system_init(&zeros);
    CHECK(defaulted != NULL, "a config of zero fields (the defaults) was refused");
    EXPECT_SUCCESS("init with zero fields");
    module_system_destroy(defaulted);
    module_system_config_t pool_only = {.memory_pool_size_mb = 50, .max_concurrent_modules = 1000};
    module_system_config_t limit_only = {.max_concurrent_modules = 1500,
                                         .enable_numa_placement = true};
    module_system_destroy(module_system_init(&pool_only));
    EXPECT_SUCCESS("the document's Memory Usage Optimization config");
    module_system_destroy(module_system_init(&limit_only));
    EXPECT_SUCCESS("the document's Concurrent Module Scaling config");
    module_system_config_t config = {
        .max_concurrent_modules = 65537,
        .memory_pool_size_mb = 10,
        .module_search_path = NULL,
    };
    expect_bad_config(&config, "max_concurrent_modules");
    config.max_concurrent_modules = 10;
    config.memory_pool_size_mb = 65537;
    expect_bad_config(&config, "memory_pool_size_mb");
    config.memory_pool_size_mb = 10;
    char* long_path = malloc(COREMOD_PATH_MAX + 1);
    memset(long_path, 'd', COREMOD_PATH_MAX);
    long_path[COREMOD_PATH_MAX] = '\0';
    config.module_search_path = long_path;
    expect_bad_config(&config, "module_search_path");
    long_path[COREMOD_PATH_MAX - 1] = '\0'; /* 4095 bytes: the longest accepted */
    module_system_t* longest = module_system_init(&config);
    CHECK(longest != NULL, "a 4095-byte search path was refused");
    EXPECT_SUCCESS("init with the longest search path");
    module_system_destroy(longest);
    recorder_reset();

    /* Extreme valid values, and the config is copied (SPEC 2.2). */
    char search_path[COREMOD_PATH_MAX];
    char example[COREMOD_PATH_MAX];
    fixture_path(example, "modules", "example_module");
    snprintf(search_path, sizeof(search_path), "%s", example);
    *strrchr(search_path, '/') = '\0';
    snprintf(long_path, COREMOD_PATH_MAX, "%s", search_path);
    module_system_config_t bounds = {65536, 65536, false, false, false, false, long_path};
    module_system_t* system = module_system_init(&bounds);
    CHECK(system != NULL, "valid extreme config refused");
    memset(long_path, 'x', 32); /* the caller changes its copy: the system must not see it */
    free(long_path);
    module_handle_t handle = module_load(system, "example_module.so");
    CHECK(handle != NULL, "bare name not found through a copied search path");
    EXPECT_SUCCESS("load by bare name");

    /* A destroyed system is invalid for every function that takes it (SPEC 2.4). */
    module_system_destroy(system);
    EXPECT_SUCCESS("destroy with a module loaded");
    module_system_destroy(system);
    EXPECT_FAILURE(MODULE_ERROR_INVALID_PARAMETER, "system", "destroy twice");
    CHECK(module_load(system, example) == NULL, "load into a destroyed system succeeded");
    EXPECT_FAILURE(MODULE_ERROR_INVALID_PARAMETER, "system", "load into a destroyed system");
    CHECK(!module_unload(handle), "unload after destroy succeeded");
    EXPECT_FAILURE(MODULE_ERROR_INVALID_PARAMETER, "handle", "unload after destroy");
    module_system_destroy(NULL);
    EXPECT_FAILURE(MODULE_ERROR_INVALID_PARAMETER, "NULL", "destroy(NULL)");

    /* Pointers the implementation did not hand out are not systems. */
    int local = 0;
    module_system_destroy((module_system_t*)&local);
    EXPECT_FAILURE(MODULE_ERROR_INVALID_PARAMETER, "system", "destroy(&local)");
    CHECK(module_load((module_system_t*)(uintptr_t)0xdeadbeef000, example) == NULL,
          "load into a random system succeeded");
    EXPECT_FAILURE(MODULE_ERROR_INVALID_PARAMETER, "system", "load into a random pointer");

    /* A module handle is not a system, and a system is not a module handle. */
    module_system_t* other = module_system_init(NULL);
    module_handle_t module = load_fixture(other, "example_module");
    recorder_reset();
    CHECK(module_load((module_system_t*)module, example) == NULL, "a handle used as a system");
    EXPECT_FAILURE(MODULE_ERROR_INVALID_PARAMETER, "system", "handle as a system");
    module_info_t info;
    CHECK(!module_get_info((module_handle_t)other, &info), "a system used as a handle");
    EXPECT_FAILURE(MODULE_ERROR_INVALID_PARAMETER, "handle", "system as a handle");
    module_system_destroy(other);
    EXPECT_SUCCESS("destroy");
}

void exercise_load_arguments(void)
{
    module_system_t* system = module_system_init(NULL);
    char example[COREMOD_PATH_MAX];
    fixture_path(example, "modules", "example_module");
    recorder_reset();

    CHECK(module_load(system, NULL) == NULL, "NULL path accepted");
    EXPECT_FAILURE(MODULE_ERROR_INVALID_PARAMETER, "module_path", "NULL path");
    CHECK(module_load(system, "") == NULL, "empty path accepted");
    EXPECT_FAILURE(MODULE_ERROR_INVALID_PARAMETER, "module_path", "empty path");
    /* Over-long: decided without reading past 4096 bytes, so the buffer need not be terminated
     * beyond that; terminate anyway at 8192 so a wrong implementation fails rather than faults. */
    char* long_path = malloc(2 * COREMOD_PATH_MAX);
    memset(long_path, 'p', 2 * COREMOD_PATH_MAX - 1);
    long_path[2 * COREMOD_PATH_MAX - 1] = '\0';
    CHECK(module_load(system, long_path) == NULL, "over-long path accepted");
    EXPECT_FAILURE(MODULE_ERROR_INVALID_PARAMETER, "module_path", "over-long path");
    long_path[COREMOD_PATH_MAX - 1] = '\0'; /* 4095 bytes: valid length, no such file */
    CHECK(module_load(system, long_path) == NULL, "4095-byte nonsense path loaded");
    EXPECT_FAILURE(MODULE_ERROR_FILE_NOT_FOUND, NULL, "4095-byte bare name");
    free(long_path);

    /* Missing files (SPEC 3.1, 3.4). */
    char missing[COREMOD_PATH_MAX];
    snprintf(missing, sizeof(missing), "%s/no_such_module.so", scratch_dir());
    CHECK(module_load(system, missing) == NULL, "missing file loaded");
    EXPECT_FAILURE(MODULE_ERROR_FILE_NOT_FOUND, missing, "missing file");
    CHECK(module_load(system, "no_such_module.so") == NULL, "missing bare name loaded");
    EXPECT_FAILURE(MODULE_ERROR_FILE_NOT_FOUND, "./modules", "bare name not on the search path");
    char dangling[COREMOD_PATH_MAX];
    snprintf(dangling, sizeof(dangling), "%s/dangling.so", scratch_dir());
    CHECK(symlink(missing, dangling) == 0, "symlink: %s", strerror(errno));
    CHECK(module_load(system, dangling) == NULL, "dangling link loaded");
    EXPECT_FAILURE(MODULE_ERROR_FILE_NOT_FOUND, dangling, "dangling symbolic link");

    /* Options (SPEC 3.10). */
    module_handle_t plain = module_load_with_options(system, example, NULL);
    CHECK(plain != NULL, "NULL options refused");
    EXPECT_SUCCESS("load_with_options(NULL)");
    module_load_options_t options = {false, true, 0, NULL};
    CHECK(module_load_with_options(system, example, &options) == plain, "P-core preference");
    EXPECT_SUCCESS("prefer_performance_cores");
    options.enable_hot_reload = true;
    CHECK(module_load_with_options(system, example, &options) == NULL, "hot reload accepted");
    EXPECT_FAILURE(MODULE_ERROR_SYSTEM_ERROR, "not supported", "hot reload");
    options.enable_hot_reload = false;
    options.security_policy = "strict";
    CHECK(module_load_with_options(system, example, &options) == NULL, "policy accepted");
    EXPECT_FAILURE(MODULE_ERROR_SYSTEM_ERROR, "not supported", "security policy");
    options.security_policy = NULL;
    options.memory_limit_kb = 1; /* every module file is larger than 1 KB */
    CHECK(module_load_with_options(system, example, &options) == NULL, "memory limit ignored");
    EXPECT_FAILURE(MODULE_ERROR_RESOURCE_EXHAUSTED, "memory_limit_kb", "memory limit");
    options.memory_limit_kb = 1024 * 1024;
    CHECK(module_load_with_options(system, example, &options) == plain, "large limit refused");
    EXPECT_SUCCESS("memory limit above the file size");
    module_info_t info;
    CHECK(module_get_info(plain, &info) && info.reference_count == 3,
          "failed loads changed the reference count (%u)", info.reference_count);
    module_system_destroy(system);
    recorder_reset();
}

typedef struct {
    const char* name;   /* bad/<name>.so */
    const char* reason; /* a word the message must contain */
} bad_file_t;

void exercise_bad_files(void)
{
    static const bad_file_t bad_files[] = {
        {"empty", "empty"},
        {"text", "magic"},
        {"dir_module", "directory"},
        {"truncated", "truncated"},
        {"truncated_header", "truncated"},
        {"truncated_ctor", "truncated"},
        {"foreign_arch", "machine"},
        {"elfclass32", "class"},
        {"bigendian", "byte order"},
        {"object_file", "ET_REL"},
        {"pie_executable", "DF_1_PIE"},
    };
    module_system_t* system = module_system_init(NULL);
    fixture_log_reset();
    recorder_reset();
    for (size_t i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++) {
        char path[COREMOD_PATH_MAX];
        fixture_path(path, "bad", bad_files[i].name);
        CHECK(module_load(system, path) == NULL, "%s loaded", path);
        EXPECT_FAILURE(MODULE_ERROR_INVALID_MODULE, bad_files[i].reason, bad_files[i].name);
        CHECK(!file_is_mapped(path), "%s stayed mapped", path);
    }
    /* No code of a rejected file ran (SPEC 3.4). */
    CHECK(fixture_log_count("ctor pie_executable") == 0, "the PIE's constructor ran");
    CHECK(fixture_log_count("ctor truncated_ctor") == 0, "truncated_ctor's constructor ran");

    /* A file that passes validation but that the loader refuses (SPEC 3.5). */
    char path[COREMOD_PATH_MAX];
    fixture_path(path, "modules", "unresolved_dep");
    CHECK(module_load(system, path) == NULL, "module with an unresolved symbol loaded");
    EXPECT_FAILURE(MODULE_ERROR_INVALID_MODULE, "coremod_fixture_no_such_function",
                   "unresolved dependency");

    /* Permissions (SPEC 3.4); root reads anything, so only as another user. */
    if (geteuid() != 0) {
        char unreadable[COREMOD_PATH_MAX];
        fixture_path(path, "bad", "no_read");
        snprintf(unreadable, sizeof(unreadable), "%s/no_read.so", scratch_dir());
        CHECK(copy_file(path, unreadable) && chmod(unreadable, 0) == 0, "cannot make %s",
              unreadable);
        CHECK(module_load(system, unreadable) == NULL, "unreadable file loaded");
        EXPECT_FAILURE(MODULE_ERROR_SECURITY_VIOLATION, unreadable, "unreadable file");
    } else {
        printf("note: running as root: SECURITY_VIOLATION (unreadable file) not exercised\n");
    }

    /* Rejections do not count towards anything: the system is still empty and usable. */
    CHECK(load_fixture(system, "example_module") != NULL, "system unusable after rejections");
    EXPECT_SUCCESS("load after rejections");
    module_system_destroy(system);
    recorder_reset();
}
