/*
 * coremod_defaults.h — the configuration defaults of SPEC 2.1, in one place.
 *
 * The document gives them as comments of module_system_config_t ("// Default: 1000" and so on).
 * module_system_init(NULL) uses them, and a config field left zero (or a NULL search path) takes
 * its default (SPEC 2.2). The reference (impl/core/system.c), the conformance harness and the
 * fixtures read them from here, so that the three cannot disagree.
 */
#ifndef COREMOD_DEFAULTS_H
#define COREMOD_DEFAULTS_H

#include <stdbool.h>

#include "module_interface.h"

#define COREMOD_DEFAULT_MAX_CONCURRENT_MODULES 1000u
#define COREMOD_DEFAULT_MEMORY_POOL_SIZE_MB 100u
#define COREMOD_DEFAULT_SEARCH_PATH "./modules"

/* The upper bounds of SPEC 2.7 (coremod): larger values fail with INVALID_PARAMETER. */
#define COREMOD_CONFIG_MAX_MODULES_LIMIT 65536u
#define COREMOD_CONFIG_POOL_MB_LIMIT 65536u

/* An initializer for the whole default configuration (every enable_* flag true). */
#define COREMOD_DEFAULT_CONFIG_INIT                                                                \
    {                                                                                              \
        .max_concurrent_modules = COREMOD_DEFAULT_MAX_CONCURRENT_MODULES,                          \
        .memory_pool_size_mb = COREMOD_DEFAULT_MEMORY_POOL_SIZE_MB,                                \
        .enable_jit_optimization = true, .enable_cache_optimization = true,                        \
        .enable_numa_placement = true, .enable_security_sandboxing = true,                         \
        .module_search_path = COREMOD_DEFAULT_SEARCH_PATH,                                         \
    }

#endif /* COREMOD_DEFAULTS_H */
