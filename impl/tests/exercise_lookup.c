/*
 * exercise_lookup.c — symbols, information, bad handles, the module limit and the memory pool
 * (SPEC 1.2, 1.3, 2.6, 3.7-3.9, 4, 5, 6).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "coremod_module.h"
#include "exercise_support.h"

void exercise_symbols(void)
{
    module_system_t* system = module_system_init(NULL);
    module_handle_t example = load_fixture(system, "example_module");
    recorder_reset();

    void* symbol = module_get_symbol(example, "example_function");
    CHECK(symbol != NULL, "example_function not found");
    EXPECT_SUCCESS("lookup");
    if (symbol != NULL) {
        int (*function)(int) = (int (*)(int))symbol;
        CHECK(function(42) == 84, "example_function(42) = %d", function(42));
    }
    CHECK(module_get_symbol(example, "example_function") == symbol, "cached lookup differs");
    EXPECT_SUCCESS("cached lookup");

    for (int round = 0; round < 2; round++) { /* uncached, then cached miss */
        CHECK(module_get_symbol(example, "no_such_symbol") == NULL, "missing symbol found");
        EXPECT_FAILURE(MODULE_ERROR_SYMBOL_NOT_FOUND, "no_such_symbol", "missing symbol");
        CHECK(module_get_symbol(example, "no_such_symbol") == NULL, "missing symbol found");
        EXPECT_FAILURE(MODULE_ERROR_SYMBOL_NOT_FOUND, "example_module", "message names module");
    }
    CHECK(module_get_symbol(example, NULL) == NULL, "NULL name");
    EXPECT_FAILURE(MODULE_ERROR_INVALID_PARAMETER, "symbol_name", "NULL name");
    CHECK(module_get_symbol(example, "") == NULL, "empty name");
    EXPECT_FAILURE(MODULE_ERROR_INVALID_PARAMETER, "symbol_name", "empty name");
    char name[COREMOD_SYMBOL_MAX + 8];
    memset(name, 's', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    CHECK(module_get_symbol(example, name) == NULL, "over-long name");
    EXPECT_FAILURE(MODULE_ERROR_INVALID_PARAMETER, "symbol_name", "over-long name");
    name[COREMOD_SYMBOL_MAX - 1] = '\0'; /* 1023 bytes: valid, not provided */
    CHECK(module_get_symbol(example, name) == NULL, "1023-byte name found");
    EXPECT_FAILURE(MODULE_ERROR_SYMBOL_NOT_FOUND, NULL, "longest name");

    /* Many names (the cache grows past its first array), data symbols, dependencies (5.1). */
    module_handle_t rich = load_fixture(system, "symbol_rich");
    void* first_pass[64];
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < 64; i++) {
            char symbol_name[16];
            snprintf(symbol_name, sizeof(symbol_name), "sym_%03d", i);
            void* address = module_get_symbol(rich, symbol_name);
            if (!CHECK(address != NULL, "%s not found", symbol_name)) {
                continue;
            }
            if (pass == 0) {
                first_pass[i] = address;
                int (*function)(void) = (int (*)(void))address;
                CHECK(function() == i, "%s() = %d", symbol_name, function());
            } else {
                CHECK(address == first_pass[i], "%s moved between lookups", symbol_name);
            }
        }
    }
    int* data = module_get_symbol(rich, "rich_data");
    CHECK(data != NULL && *data == 1234, "rich_data wrong");
    double (*cosine)(double) = (double (*)(double))module_get_symbol(rich, "cos");
    CHECK(cosine != NULL && cosine(0.0) == 1.0, "cos not found through the module's libm");
    EXPECT_SUCCESS("lookups in symbol_rich");
    module_system_destroy(system);
}

static void expect_info(module_handle_t handle, const char* name, const char* version,
                        const char* description, bool is_critical)
{
    module_info_t info;
    if (!CHECK(module_get_info(handle, &info), "get_info failed for %s", name)) {
        return;
    }
    EXPECT_SUCCESS("get_info");
    CHECK(strcmp(info.name, name) == 0, "name \"%s\", expected \"%s\"", info.name, name);
    CHECK(strcmp(info.version, version) == 0, "%s: version \"%s\", expected \"%s\"", name,
          info.version, version);
    CHECK(strcmp(info.description, description) == 0, "%s: description \"%s\"", name,
          info.description);
    CHECK(info.is_critical == is_critical, "%s: is_critical %d", name, info.is_critical);
    CHECK(info.reference_count == 1, "%s: reference_count %u", name, info.reference_count);
    CHECK(info.load_time_us >= 1, "%s: load_time_us %llu", name,
          (unsigned long long)info.load_time_us);
}

void exercise_info(void)
{
    module_system_t* system = module_system_init(NULL);
    recorder_reset();
    expect_info(load_fixture(system, "example_module"), "example_module", "1.0.0",
                "Quick Start example module", false);
    expect_info(load_fixture(system, "metadata_full"), "metadata_full", "2.5.1",
                "A module that declares everything", true);
    expect_info(load_fixture(system, "metadata_bad_abi"), "metadata_bad_abi", "", "", false);
    expect_info(load_fixture(system, "metadata_nulls"), "metadata_nulls", "", "", true);
    expect_info(load_fixture(system, "plain_module"), "plain_module", "", "", false);

    /* Truncation to the field sizes, always terminated (SPEC 3.7). */
    module_handle_t long_meta = load_fixture(system, "metadata_long");
    module_info_t info;
    if (CHECK(module_get_info(long_meta, &info), "get_info(metadata_long)")) {
        CHECK(strlen(info.name) == 63 && strspn(info.name, "n") == 63, "name not cut to 63");
        CHECK(strlen(info.version) == 31, "version not cut to 31 (%zu)", strlen(info.version));
        CHECK(strlen(info.description) == 255, "description not cut to 255");
    }

    /* size_bytes is the file size (SPEC 3.9); a shared load changes neither it nor the time. */
    char path[COREMOD_PATH_MAX];
    fixture_path(path, "modules", "example_module");
    struct stat status;
    module_handle_t example = module_load(system, path);
    CHECK(stat(path, &status) == 0 && module_get_info(example, &info) &&
              info.size_bytes == (uint32_t)status.st_size && info.reference_count == 2,
          "size_bytes %u / reference_count %u", info.size_bytes, info.reference_count);
    uint64_t first_time = info.load_time_us;
    module_load(system, path);
    CHECK(module_get_info(example, &info) && info.load_time_us == first_time &&
              info.reference_count == 3,
          "a shared load changed load_time_us or the count");

    /* Bad arguments leave *info untouched (SPEC 6.1). */
    recorder_reset();
    CHECK(!module_get_info(example, NULL), "NULL info accepted");
    EXPECT_FAILURE(MODULE_ERROR_INVALID_PARAMETER, "info", "NULL info");
    memset(&info, 0xAB, sizeof(info));
    module_info_t before = info;
    CHECK(!module_get_info(NULL, &info), "NULL handle accepted");
    EXPECT_FAILURE(MODULE_ERROR_INVALID_PARAMETER, "handle", "NULL handle");
    CHECK(memcmp(&before, &info, sizeof(info)) == 0, "*info changed on failure");
    module_system_destroy(system);
    recorder_reset();
}

/* Every handle function fails cleanly on `handle`, with INVALID_PARAMETER. */
static void expect_bad_handle(module_handle_t handle, const char* what)
{
    module_info_t info;
    recorder_reset();
    CHECK(!module_unload(handle), "unload(%s) succeeded", what);
    EXPECT_FAILURE(MODULE_ERROR_INVALID_PARAMETER, "handle", what);
    CHECK(module_get_symbol(handle, "example_function") == NULL, "get_symbol(%s)", what);
    EXPECT_FAILURE(MODULE_ERROR_INVALID_PARAMETER, "handle", what);
    CHECK(!module_get_info(handle, &info), "get_info(%s) succeeded", what);
    EXPECT_FAILURE(MODULE_ERROR_INVALID_PARAMETER, "handle", what);
}

void exercise_bad_handles(void)
{
    module_system_t* system = module_system_init(NULL);
    module_handle_t keeper = load_fixture(system, "example_module");
    module_handle_t stale = load_fixture(system, "plain_module");
    CHECK(module_unload(stale), "unload failed");

    int local = 0;
    expect_bad_handle(NULL, "NULL");
    expect_bad_handle(stale, "a stale handle");
    expect_bad_handle((module_handle_t)(uintptr_t)0xdeadbeef000, "0xdeadbeef000");
    expect_bad_handle((module_handle_t)&local, "the address of a local");
    expect_bad_handle((module_handle_t)((uintptr_t)keeper ^ 1),
                      "a live handle with one bit flipped");
    expect_bad_handle((module_handle_t)system, "a system");

    /* Random values: none may name a module, and the live one must be unaffected. */
    uint64_t state = 0x243F6A8885A308D3u;
    for (int i = 0; i < 2000; i++) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        module_handle_t random_handle = (module_handle_t)(uintptr_t)state;
        if (random_handle == keeper) {
            continue;
        }
        module_info_t info;
        CHECK(!module_get_info(random_handle, &info), "random value %llx accepted",
              (unsigned long long)state);
        CHECK(!module_unload(random_handle), "random value %llx unloaded",
              (unsigned long long)state);
    }
    recorder_reset();
    /* A stale handle stays invalid even after its file is loaded again (SPEC 4.2, 1.3). */
    module_handle_t again = load_fixture(system, "plain_module");
    CHECK(again != stale, "a reloaded module got its old handle value back");
    expect_bad_handle(stale, "a stale handle after a reload");

    module_info_t info;
    CHECK(module_get_info(keeper, &info) && info.reference_count == 1,
          "bad-handle calls changed a live module");
    CHECK(module_unload(keeper) && module_unload(again), "live handles no longer unload");
    module_system_destroy(system);
    recorder_reset();
}

void exercise_limit_and_pool(void)
{
    /* SPEC 3.8: the third distinct module fails, nothing changes, a shared load still works. */
    module_system_config_t config = {2, 1, true, true, true, true, NULL};
    module_system_t* system = module_system_init(&config);
    module_handle_t first = load_fixture(system, "example_module");
    module_handle_t second = load_fixture(system, "plain_module");
    char path[COREMOD_PATH_MAX];
    fixture_path(path, "modules", "lifecycle_counter");
    fixture_log_reset();
    recorder_reset();
    CHECK(module_load(system, path) == NULL, "third module loaded past the limit");
    EXPECT_FAILURE(MODULE_ERROR_RESOURCE_EXHAUSTED, "max_concurrent_modules", "limit");
    CHECK(!file_is_mapped(path) && fixture_log_count("init lifecycle_counter") == 0,
          "the module over the limit was opened");
    char first_path[COREMOD_PATH_MAX];
    fixture_path(first_path, "modules", "example_module");
    CHECK(module_load(system, first_path) == first, "a shared load failed at the limit");
    module_info_t info;
    CHECK(module_get_info(first, &info) && info.reference_count == 2 &&
              module_get_info(second, &info) && info.reference_count == 1,
          "limit changed modules");
    CHECK(module_unload(second), "unload");
    module_handle_t third = module_load(system, path);
    CHECK(third != NULL, "no room after an unload");

    /* SPEC 2.6: a 1 MB pool fills with cached lookups (4096 names of 1 KB need 4 MB); every
     * lookup still answers (SYMBOL_NOT_FOUND for these, never OUT_OF_MEMORY), a name the module
     * defines is still found uncached, and cached ones still work. */
    void* known = module_get_symbol(first, "example_function");
    recorder_reset();
    char name[1001];
    memset(name, 'q', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    for (int lookups = 0; lookups < 4096; lookups++) {
        snprintf(name, 9, "%08d", lookups);
        name[8] = 'q';
        module_get_symbol(first, name);
        module_error_t last = module_get_last_error();
        CHECK(last == MODULE_ERROR_SYMBOL_NOT_FOUND,
              "lookup %d of a missing 1 KB name with the "
              "pool filling ended %s, expected SYMBOL_NOT_FOUND",
              lookups, module_get_error_string(last));
        if (last != MODULE_ERROR_SYMBOL_NOT_FOUND) {
            break;
        }
    }
    recorder_reset(); /* the 4096 missing names above each reported SYMBOL_NOT_FOUND */
    void* descriptor = module_get_symbol(first, COREMOD_DESCRIPTOR_SYMBOL);
    EXPECT_SUCCESS("uncached lookup with the pool full");
    CHECK(descriptor != NULL && module_get_symbol(first, COREMOD_DESCRIPTOR_SYMBOL) == descriptor,
          "a defined symbol was not found (or moved) with the pool full");
    recorder_reset();
    CHECK(module_get_symbol(first, "example_function") == known, "cached lookup lost");
    recorder_reset();
    CHECK(module_unload(third), "unload");
    module_system_destroy(system);
    EXPECT_SUCCESS("destroy after the pool filled");
}
