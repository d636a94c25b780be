/*
 * cases_memory_pool.c — memory_pool_size_mb bounds the system's bookkeeping (SPEC 2.6).
 *
 * With the smallest pool (1 MB) the case loads distinct copies of a module, each under a
 * ~3.5 KB path, until a load fails: it must fail with OUT_OF_MEMORY and change nothing. A module
 * record has to identify its file and hold its metadata; the case gives up, failing, after 4096
 * modules (256 bytes of bookkeeping each), which no record of a file with such a path fits in.
 */
#include <dlfcn.h>

#include "conformance.h"

enum { POOL_MODULE_CAP = 4096 };

typedef struct {
    module_system_t* system;
    const char* dir;           /* the long directory holding the copies */
    module_handle_t* handles;  /* the modules that fit */
    size_t loaded;
    const char* refused_path;  /* the copy whose load ran out of pool */
} full_pool_t;

/* A directory whose path is about 3.5 KB long: 14 nested 250-character names. */
static const char* long_directory(void)
{
    char component[251];
    memset(component, 'd', 250);
    component[250] = '\0';
    char* relative = case_strdup(component);
    for (int i = 1; i < 14; i++) {
        relative = case_strf("%s/%s", relative, component);
    }
    return case_mkdir(relative);
}

/* Loads copies until the pool is exhausted; fails the case if the load that does not fit fails
 * with anything but OUT_OF_MEMORY, or if POOL_MODULE_CAP modules fit. */
static full_pool_t fill_pool(void)
{
    full_pool_t pool = {.dir = long_directory()};
    module_system_config_t config = case_default_config(NULL);
    config.memory_pool_size_mb = 1;
    config.max_concurrent_modules = 65536;
    pool.system = case_system_with_config(&config);
    pool.handles = case_alloc(sizeof(module_handle_t) * POOL_MODULE_CAP);
    const char* source = fixture_module("plain_module");
    const char* relative_dir = pool.dir + strlen(case_dir()) + 1;
    for (size_t i = 0; i < POOL_MODULE_CAP; i++) {
        const char* path = case_copy(source, case_strf("%s/m%04zu.so", relative_dir, i));
        module_handle_t handle = CAND(module_load)(pool.system, path);
        if (handle == NULL) {
            pool.refused_path = path;
            return pool;
        }
        pool.handles[pool.loaded++] = handle;
    }
    conformance_fail("%d distinct modules, each with a ~3.5 KB path, fit in a 1 MB memory pool: "
                     "the pool does not bound the system's bookkeeping (SPEC 2.6)", POOL_MODULE_CAP);
}

CONFORMANCE_CASE_TIMEOUT(core_pool, CORE_POOL_001, "2.6", "a load whose bookkeeping exceeds a 1 MB pool fails with OUT_OF_MEMORY and changes nothing", 60.0)
{
    capture_start();
    full_pool_t pool = fill_pool();
    cr_assert(pool.loaded > 0, "not even one module fits in a 1 MB pool");
    const char* message = expect_failure(MODULE_ERROR_OUT_OF_MEMORY,
                                         case_strf("load %zu into a 1 MB pool", pool.loaded + 1));
    expect_message_names_path(message, pool.refused_path, "load over the memory pool");
    cr_assert(!raw_is_mapped(pool.refused_path), "the module refused for lack of pool is mapped");
    cr_assert(case_refcount(pool.handles[0]) == 1 && case_refcount(pool.handles[pool.loaded - 1]) == 1,
              "the refused load changed the loaded modules");

    /* Nothing changed: the same load still does not fit... */
    cr_assert(CAND(module_load)(pool.system, pool.refused_path) == NULL, "the refused load now fits");
    expect_failure(MODULE_ERROR_OUT_OF_MEMORY, "the same load again");
    /* ...until a module is closed and gives its bookkeeping back. */
    case_unload(pool.handles[pool.loaded - 1]);
    module_handle_t handle = CAND(module_load)(pool.system, pool.refused_path);
    cr_assert(handle != NULL, "after an unload freed a module's bookkeeping, the load still fails: %s",
              error_name(CAND(module_get_last_error)()));
    case_system_destroy(pool.system);
}

CONFORMANCE_CASE_TIMEOUT(core_pool, CORE_POOL_002, "2.6", "a lookup whose bookkeeping exceeds the pool fails with OUT_OF_MEMORY and changes nothing", 60.0)
{
    capture_start();
    full_pool_t pool = fill_pool();
    capture_take(NULL);
    cr_assert(pool.loaded > 1, "fewer than two modules fit in a 1 MB pool");
    module_handle_t first = pool.handles[0];
    /* Lookups of a name each module has not been asked for yet: found names, then distinct
     * 1000-character missing names on one module. Each either works or fails with OUT_OF_MEMORY. */
    module_handle_t refused_on = NULL;
    const char* refused_name = NULL;
    for (size_t i = 1; i < pool.loaded && refused_on == NULL; i++) {
        void* address = CAND(module_get_symbol)(pool.handles[i], "plain_value");
        if (address == NULL) {
            expect_failure(MODULE_ERROR_OUT_OF_MEMORY, "lookup with the pool full");
            refused_on = pool.handles[i];
            refused_name = "plain_value";
        }
    }
    char long_name[1001];
    for (int i = 0; i < 3000 && refused_on == NULL; i++) {
        char prefix[24];
        int prefix_length = snprintf(prefix, sizeof(prefix), "missing_%05d", i);
        memset(long_name, 'q', 1000);
        memcpy(long_name, prefix, (size_t)prefix_length);
        long_name[1000] = '\0';
        CAND(module_get_symbol)(first, long_name);
        module_error_t error = CAND(module_get_last_error)();
        if (error == MODULE_ERROR_OUT_OF_MEMORY) {
            refused_on = first;
            refused_name = case_strdup(long_name);
        } else {
            expect_failure(MODULE_ERROR_SYMBOL_NOT_FOUND, "missing-symbol lookup with the pool full");
        }
    }
    if (refused_on == NULL) {
        /* Conforming: this candidate's lookups keep no bookkeeping a full pool would refuse. */
        case_system_destroy(pool.system);
        return;
    }
    capture_take(NULL);
    void* again = CAND(module_get_symbol)(refused_on, refused_name);
    cr_assert(again == NULL, "the lookup refused for lack of pool now works without freeing anything");
    expect_failure(MODULE_ERROR_OUT_OF_MEMORY, "the same lookup again");
    cr_assert(case_refcount(refused_on) == 1, "the refused lookup changed the module");
    size_t victim = pool.loaded - 1;
    if (pool.handles[victim] == refused_on) {
        victim--;
    }
    case_unload(pool.handles[victim]);
    capture_take(NULL);
    void* after = CAND(module_get_symbol)(refused_on, refused_name);
    module_error_t error = CAND(module_get_last_error)();
    cr_assert(error == (strcmp(refused_name, "plain_value") == 0 ? MODULE_SUCCESS : MODULE_ERROR_SYMBOL_NOT_FOUND),
              "after an unload freed bookkeeping, the refused lookup ends with %s", error_name(error));
    if (after != NULL) {
        int (*plain_value)(void);
        memcpy(&plain_value, &after, sizeof(plain_value));
        cr_assert(plain_value() == 7, "plain_value() returned %d", plain_value());
    }
    case_system_destroy(pool.system);
}
