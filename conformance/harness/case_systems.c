/* case_systems.c — see case_systems.h. */
#include "case_systems.h"

#include <stdbool.h>
#include <string.h>

#include "case_context.h"
#include "coremod_defaults.h"
#include "error_names.h"

/* A case creates a handful of systems; a fixed table keeps this free of allocation. */
#define CASE_SYSTEMS_MAX 64

static module_system_t* tracked[CASE_SYSTEMS_MAX];

module_system_config_t case_default_config(const char* search_path)
{
    module_system_config_t config = COREMOD_DEFAULT_CONFIG_INIT;
    config.module_search_path = search_path;
    return config;
}

void case_system_track(module_system_t* system)
{
    for (size_t i = 0; i < CASE_SYSTEMS_MAX; i++) {
        if (tracked[i] == NULL) {
            tracked[i] = system;
            return;
        }
    }
    conformance_fail("harness: a case may create at most %d systems", CASE_SYSTEMS_MAX);
}

void case_system_forget(module_system_t* system)
{
    for (size_t i = 0; i < CASE_SYSTEMS_MAX; i++) {
        if (tracked[i] == system) {
            tracked[i] = NULL;
        }
    }
}

module_system_t* case_system_with_config(const module_system_config_t* config)
{
    module_system_t* system = CAND(module_system_init)(config);
    if (system == NULL) {
        conformance_fail("module_system_init(max_concurrent_modules=%u, memory_pool_size_mb=%u, "
                         "module_search_path=%s) returned NULL with %s; expected a system (the "
                         "case needs one)",
                         config->max_concurrent_modules, config->memory_pool_size_mb,
                         config->module_search_path ? config->module_search_path : "NULL",
                         error_name(CAND(module_get_last_error)()));
    }
    case_system_track(system);
    return system;
}

module_system_t* case_system_new(const char* search_path, uint32_t max_modules)
{
    module_system_config_t config = case_default_config(search_path);
    if (max_modules != 0) {
        config.max_concurrent_modules = max_modules;
    }
    return case_system_with_config(&config);
}

void case_system_destroy(module_system_t* system)
{
    case_system_forget(system);
    CAND(module_system_destroy)(system);
}

void case_systems_destroy_all(void)
{
    for (size_t i = 0; i < CASE_SYSTEMS_MAX; i++) {
        if (tracked[i] != NULL && conformance_candidate.module_system_destroy != NULL) {
            conformance_candidate.module_system_destroy(tracked[i]);
        }
        tracked[i] = NULL;
    }
}

module_handle_t case_load(module_system_t* system, const char* path)
{
    module_handle_t handle = CAND(module_load)(system, path);
    if (handle == NULL) {
        conformance_fail("module_load(\"%s\") returned NULL with %s; expected a handle (the "
                         "case needs this module loaded)",
                         path, error_name(CAND(module_get_last_error)()));
    }
    return handle;
}

void case_unload(module_handle_t handle)
{
    if (!CAND(module_unload)(handle)) {
        conformance_fail("module_unload(%p) of a loaded module returned false with %s; expected "
                         "true",
                         (void*)handle, error_name(CAND(module_get_last_error)()));
    }
}

module_info_t case_info(module_handle_t handle)
{
    module_info_t info;
    memset(&info, 0, sizeof(info));
    if (!CAND(module_get_info)(handle, &info)) {
        conformance_fail("module_get_info(%p) of a loaded module returned false with %s; "
                         "expected true",
                         (void*)handle, error_name(CAND(module_get_last_error)()));
    }
    return info;
}

void* case_symbol(module_handle_t handle, const char* name)
{
    void* address = CAND(module_get_symbol)(handle, name);
    if (address == NULL) {
        conformance_fail("module_get_symbol(%p, \"%s\") returned NULL with %s; expected the "
                         "address of a symbol the module defines",
                         (void*)handle, name, error_name(CAND(module_get_last_error)()));
    }
    return address;
}

uint32_t case_refcount(module_handle_t handle)
{
    return case_info(handle).reference_count;
}
