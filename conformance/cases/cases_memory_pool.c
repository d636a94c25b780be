/*
 * cases_memory_pool.c — memory_pool_size_mb bounds the system's bookkeeping (SPEC 2.6, coremod),
 * and lookups under a full pool still answer (SPEC 5.1, 5.2, document).
 *
 * A 1 MB pool (the smallest) is filled with symbol-cache entries: lookups of distinct missing
 * names of 1000 bytes each, on one loaded module, up to POOL_LOOKUP_CAP of them (2 MB of names).
 * Whether the pool is full shows in a load, which needs a new module record: under SPEC 2.6 it
 * fails with OUT_OF_MEMORY. The probe module lives under a ~2 KB path, so that a record which
 * identifies its file by path cannot fit in the less than 1 KB a full pool has left. That costs
 * one loaded module and at most a few thousand dlsym calls, whatever the candidate is.
 */
#include <stdio.h>

#include "conformance.h"

enum { POOL_LOOKUP_CAP = 2048, POOL_PROBE_EVERY = 64, POOL_NAME_LENGTH = 1000 };

typedef struct {
    module_system_t* system;
    module_handle_t holder; /* the module whose lookups filled the pool */
    const char* probe_path; /* a module the full pool refused to load */
    size_t lookups;         /* lookups made */
    bool full;              /* a load failed with OUT_OF_MEMORY */
} full_pool_t;

/* The i-th distinct missing name, POOL_NAME_LENGTH bytes long. */
static const char* missing_name(size_t i)
{
    char* name = case_alloc(POOL_NAME_LENGTH + 1);
    memset(name, 'q', POOL_NAME_LENGTH);
    int length = snprintf(name, 24, "pool_missing_%05zu", i);
    name[length] = 'q';
    name[POOL_NAME_LENGTH] = '\0';
    return name;
}

/* A directory whose path is about 2 KB long: 8 nested 250-character names. */
static const char* long_directory(void)
{
    char component[251];
    memset(component, 'd', 250);
    component[250] = '\0';
    char* relative = case_strdup(component);
    for (int i = 1; i < 8; i++) {
        relative = case_strf("%s/%s", relative, component);
    }
    return case_mkdir(relative);
}

/* Fails the case — or, in a document-level case, which only needs the full pool as a set-up,
 * ends it not_supported — with the formatted reason. */
#define POOL_SETUP_FAIL(...)                                                                       \
    do {                                                                                           \
        if (conformance_case_is_document_level()) {                                                \
            conformance_not_supported("cannot fill the memory pool: " __VA_ARGS__);                \
        }                                                                                          \
        conformance_fail(__VA_ARGS__);                                                             \
    } while (0)

/* A 1 MB pool, one module, then lookups of missing names until a probe load fails with
 * OUT_OF_MEMORY (pool.full) or POOL_LOOKUP_CAP lookups were made. Every lookup must end
 * SYMBOL_NOT_FOUND (SPEC 5.2; 2.6: never OUT_OF_MEMORY); a probe load that succeeds is unloaded
 * again. Any other outcome of a probe fails the case. */
static full_pool_t fill_pool(void)
{
    full_pool_t pool = {0};
    module_system_config_t config = case_default_config(NULL);
    config.memory_pool_size_mb = 1;
    config.max_concurrent_modules = 16;
    pool.system = case_system_with_config(&config);
    pool.holder = case_load(pool.system, fixture_module("example_module"));
    const char* relative_dir = long_directory() + strlen(case_dir()) + 1;
    pool.probe_path =
        case_copy(fixture_module("plain_module"), case_strf("%s/probe.so", relative_dir));
    for (pool.lookups = 0; pool.lookups < POOL_LOOKUP_CAP; pool.lookups++) {
        case_step("lookup %zu of a missing 1000-byte name in a 1 MB pool", pool.lookups + 1);
        const char* name = missing_name(pool.lookups);
        void* address = CAND(module_get_symbol)(pool.holder, name);
        module_error_t error = CAND(module_get_last_error)();
        if (address != NULL || error != MODULE_ERROR_SYMBOL_NOT_FOUND) {
            conformance_fail("lookup %zu of a missing 1000-byte name, with a 1 MB memory pool "
                             "filling up, returned %p with last error %s; expected NULL with "
                             "SYMBOL_NOT_FOUND (SPEC 5.2; SPEC 2.6: a lookup never fails for lack "
                             "of pool)",
                             pool.lookups + 1, address, error_name(error));
        }
        if ((pool.lookups + 1) % POOL_PROBE_EVERY != 0) {
            continue;
        }
        case_step("probing whether the pool is full by loading %s", pool.probe_path);
        if (capture_active()) {
            capture_take(NULL); /* the lookups' reports: the probe's own is checked alone */
        }
        module_handle_t probe = CAND(module_load)(pool.system, pool.probe_path);
        if (probe == NULL) {
            error = CAND(module_get_last_error)();
            if (error != MODULE_ERROR_OUT_OF_MEMORY) {
                POOL_SETUP_FAIL("loading %s into a system whose 1 MB pool holds %zu cached "
                                "lookups failed with %s; expected success, or OUT_OF_MEMORY once "
                                "the pool is full (SPEC 2.6)",
                                pool.probe_path, pool.lookups + 1, error_name(error));
            }
            pool.lookups++;
            pool.full = true;
            return pool;
        }
        case_unload(probe);
    }
    return pool;
}

CONFORMANCE_CASE(
    core_pool, CORE_POOL_001, "2.6",
    "once cached lookups fill a 1 MB pool, a load fails with OUT_OF_MEMORY and changes nothing")
{
    capture_start();
    full_pool_t pool = fill_pool();
    if (!pool.full) {
        conformance_fail("%zu lookups of distinct 1000-byte names (%zu KB of names) were made on "
                         "one module and a 1 MB memory pool still had room for a new module: the "
                         "pool does not bound the system's bookkeeping (SPEC 2.6: records and "
                         "symbol caches)",
                         pool.lookups, pool.lookups * POOL_NAME_LENGTH / 1024);
    }
    const char* message = expect_failure(MODULE_ERROR_OUT_OF_MEMORY, "load into a full 1 MB pool");
    expect_message_names_path(message, pool.probe_path, "load into a full 1 MB pool");
    cr_assert(!raw_is_mapped(pool.probe_path),
              "%s, refused for lack of pool, is mapped; SPEC "
              "2.6: nothing changes",
              pool.probe_path);
    cr_assert(case_refcount(pool.holder) == 1,
              "the refused load changed the loaded module's "
              "reference count to %u; SPEC 2.6: nothing changes",
              case_refcount(pool.holder));

    /* Nothing changed: the same load still does not fit... */
    cr_assert(CAND(module_load)(pool.system, pool.probe_path) == NULL,
              "the load refused for lack of pool succeeded when repeated, with nothing freed");
    expect_failure(MODULE_ERROR_OUT_OF_MEMORY, "the same load again");
    /* ...until the module holding the cache is closed and gives its bookkeeping back. */
    case_unload(pool.holder);
    capture_take(NULL);
    module_handle_t handle = CAND(module_load)(pool.system, pool.probe_path);
    cr_assert(handle != NULL,
              "after unloading the module whose cached lookups filled the pool, "
              "loading %s still fails with %s; expected success (SPEC 2.6: closing a module gives "
              "its bookkeeping back)",
              pool.probe_path, error_name(CAND(module_get_last_error)()));
    case_system_destroy(pool.system);
}

CONFORMANCE_CASE(core_pool, CORE_POOL_002, "5.1",
                 "with the memory pool full, lookups still return the module's symbols and NULL "
                 "for missing names")
{
    full_pool_t pool = fill_pool();
    if (!pool.full) {
        conformance_not_supported("after %zu lookups of distinct 1000-byte names a 1 MB memory "
                                  "pool still had room for a new module, so this case cannot "
                                  "make the pool full (SPEC 2.6 is coremod's)",
                                  pool.lookups);
    }
    /* symbol_rich cannot be loaded now; example_module's own names were never looked up. */
    const char* names[] = {"example_function", COREMOD_DESCRIPTOR_SYMBOL};
    for (size_t i = 0; i < 2; i++) {
        case_step("looking up %s with the pool full", names[i]);
        void* address = CAND(module_get_symbol)(pool.holder, names[i]);
        cr_assert(address != NULL,
                  "with the memory pool full, module_get_symbol(\"%s\"), a "
                  "symbol the module defines, returned NULL with %s; expected its address (SPEC "
                  "5.1; 2.6: a lookup never fails for lack of pool)",
                  names[i], error_name(CAND(module_get_last_error)()));
        void* again = CAND(module_get_symbol)(pool.holder, names[i]);
        cr_assert(again == address,
                  "with the memory pool full, a second lookup of \"%s\" gave %p, "
                  "the first %p (SPEC 5.3: the same pointer)",
                  names[i], again, address);
    }
    int (*example_function)(int);
    void* symbol = CAND(module_get_symbol)(pool.holder, "example_function");
    memcpy(&example_function, &symbol, sizeof(example_function));
    cr_assert(example_function(4) == 8, "example_function(4) returned %d", example_function(4));
    const char* missing = missing_name(POOL_LOOKUP_CAP + 1);
    cr_assert(CAND(module_get_symbol)(pool.holder, missing) == NULL,
              "with the memory pool full, a missing name was found");
    expect_last_error(MODULE_ERROR_SYMBOL_NOT_FOUND, "lookup of a missing name with the pool full");
    case_system_destroy(pool.system);
}
