/*
 * system.c — module_system_init and module_system_destroy (SPEC 2).
 *
 * init does no heavy work (SPEC P.1: < 50 us): it validates and copies the configuration, and
 * allocates one small struct; the file index and symbol caches are allocated by the first load
 * and lookup that need them.
 */
#include <stdlib.h>
#include <string.h>

#include "coremod_defaults.h"
#include "errors.h"
#include "module_system.h"

static const module_system_config_t default_config = COREMOD_DEFAULT_CONFIG_INIT;

/* SPEC 2.2 (document): a field left zero takes its default (2.1), a NULL search path means
 * "./modules". SPEC 2.7 (coremod): values above the bounds and an over-long search path are
 * refused. Reports the failure itself; returns false if the configuration is invalid. */
static bool validate_config(const module_system_config_t* config)
{
    if (config->max_concurrent_modules > COREMOD_CONFIG_MAX_MODULES_LIMIT) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER,
                   "module_system_init: config->max_concurrent_modules is %u; it must be at most "
                   "%u (0 means the default, %u)",
                   config->max_concurrent_modules, COREMOD_CONFIG_MAX_MODULES_LIMIT,
                   COREMOD_DEFAULT_MAX_CONCURRENT_MODULES);
        return false;
    }
    if (config->memory_pool_size_mb > COREMOD_CONFIG_POOL_MB_LIMIT) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER,
                   "module_system_init: config->memory_pool_size_mb is %u; it must be at most %u "
                   "(0 means the default, %u)",
                   config->memory_pool_size_mb, COREMOD_CONFIG_POOL_MB_LIMIT,
                   COREMOD_DEFAULT_MEMORY_POOL_SIZE_MB);
        return false;
    }
    if (config->module_search_path != NULL &&
        strnlen(config->module_search_path, COREMOD_PATH_MAX) == COREMOD_PATH_MAX) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER,
                   "module_system_init: config->module_search_path is longer than %d bytes",
                   COREMOD_PATH_MAX - 1);
        return false;
    }
    return true;
}

static bool init_recursive_mutex(pthread_mutex_t* mutex)
{
    pthread_mutexattr_t attributes;
    if (pthread_mutexattr_init(&attributes) != 0) {
        return false;
    }
    bool ok = pthread_mutexattr_settype(&attributes, PTHREAD_MUTEX_RECURSIVE) == 0 &&
              pthread_mutex_init(mutex, &attributes) == 0;
    pthread_mutexattr_destroy(&attributes);
    return ok;
}

COREMOD_PUBLIC module_system_t* module_system_init(const module_system_config_t* config)
{
    module_system_config_t settings = default_config;
    if (config != NULL) {
        if (!validate_config(config)) {
            return NULL;
        }
        settings = *config;
        if (settings.max_concurrent_modules == 0) {
            settings.max_concurrent_modules = COREMOD_DEFAULT_MAX_CONCURRENT_MODULES;
        }
        if (settings.memory_pool_size_mb == 0) {
            settings.memory_pool_size_mb = COREMOD_DEFAULT_MEMORY_POOL_SIZE_MB;
        }
        if (settings.module_search_path == NULL) {
            settings.module_search_path = COREMOD_DEFAULT_SEARCH_PATH;
        }
    }
    size_t search_path_length = strlen(settings.module_search_path);
    coremod_system_t* system = calloc(1, sizeof(*system) + search_path_length + 1u);
    if (system == NULL) {
        error_fail(MODULE_ERROR_OUT_OF_MEMORY, "module_system_init: cannot allocate the system");
        return NULL;
    }
    if (!init_recursive_mutex(&system->lock)) {
        free(system);
        error_fail(MODULE_ERROR_SYSTEM_ERROR, "module_system_init: cannot create the system lock");
        return NULL;
    }
    /* The caller may free or change its config after the call (SPEC 2.2, 2.7): keep copies. */
    memcpy(system->search_path, settings.module_search_path, search_path_length + 1u);
    settings.module_search_path = system->search_path;
    system->config = settings;
    memory_pool_init(&system->pool, (size_t)settings.memory_pool_size_mb << 20);
    module_index_init(&system->index);
    atomic_init(&system->refs, 1); /* the registry's reference */
    if (!system_registry_add(system)) {
        pthread_mutex_destroy(&system->lock);
        free(system);
        error_fail(MODULE_ERROR_OUT_OF_MEMORY, "module_system_init: the handle table is full");
        return NULL;
    }
    error_succeed();
    return (module_system_t*)system->token;
}

void system_release(coremod_system_t* system)
{
    if (atomic_fetch_sub_explicit(&system->refs, 1, memory_order_acq_rel) != 1) {
        return;
    }
    /* Last reference: destroy has run and no call is using the system any more. */
    module_index_destroy(&system->index, &system->pool);
    pthread_mutex_destroy(&system->lock);
    free(system);
}

COREMOD_PUBLIC void module_system_destroy(module_system_t* system_token)
{
    if (system_token == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "module_system_destroy: system is NULL");
        return;
    }
    coremod_system_t* system = system_registry_pin(system_token);
    if (system == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER,
                   "module_system_destroy: system %p is not a live "
                   "module system (never created, or already destroyed)",
                   (void*)system_token);
        return;
    }
    if (!system_registry_remove(system)) {
        system_release(system);
        error_fail(MODULE_ERROR_INVALID_PARAMETER,
                   "module_system_destroy: system %p was destroyed "
                   "by a concurrent call",
                   (void*)system_token);
        return;
    }
    pthread_mutex_lock(&system->lock);
    system->destroyed = true; /* loads waiting for the lock now fail */
    /* Reverse order of first load (SPEC 2.8). A cleanup may unload other modules of this system;
     * they leave the list, so always take the current newest. */
    while (system->newest != NULL) {
        module_record_close(system->newest);
    }
    pthread_mutex_unlock(&system->lock);
    system_release(system); /* this call's reference */
    system_release(system); /* the registry's reference */
    error_succeed();
}
