/*
 * module_interface.h — Core Module System API (document: "Core Module System API").
 *
 * Declarations are exactly those of the API document. Behaviour the document leaves unsaid is
 * fixed in conformance/SPEC.md; clause numbers are cited below as "SPEC n.m".
 */
#ifndef COREMOD_MODULE_INTERFACE_H
#define COREMOD_MODULE_INTERFACE_H

/* The document's Quick Start program includes only this header and then calls printf/fprintf on
 * stderr, so this header brings in <stdio.h> to let that program compile unmodified. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Longest accepted path / symbol name, terminating NUL included (SPEC 1.4). */
#define COREMOD_PATH_MAX 4096
#define COREMOD_SYMBOL_MAX 1024

/* ---- Data types ------------------------------------------------------------------------- */

/* Module system instance. Opaque: like a handle, the reference implementation hands out a
 * validated token, not the address of its state (SPEC 1.3, 2.4). */
typedef struct module_system_t module_system_t;

/* Module handle for loaded modules. Opaque: the reference implementation encodes a table slot
 * and a generation count in it and never dereferences it (SPEC 1.3). */
typedef struct module_handle_t* module_handle_t;

/* Module configuration */
typedef struct {
    uint32_t max_concurrent_modules; // Default: 1000
    uint32_t memory_pool_size_mb;    // Default: 100MB
    bool enable_jit_optimization;    // Default: true
    bool enable_cache_optimization;  // Default: true
    bool enable_numa_placement;      // Default: true
    bool enable_security_sandboxing; // Default: true
    const char* module_search_path;  // Default: "./modules"
} module_system_config_t;

/* Module information */
typedef struct {
    char name[64];            // Module name
    char version[32];         // Module version
    char description[256];    // Module description
    uint32_t size_bytes;      // Module size in bytes
    uint64_t load_time_us;    // Last load time in microseconds
    uint32_t reference_count; // Current reference count
    bool is_critical;         // Critical module flag
} module_info_t;

/* Options for module_load_with_options (SPEC 3.10) */
typedef struct {
    bool enable_hot_reload;        // Enable hot reloading
    bool prefer_performance_cores; // Prefer P-cores for placement
    uint32_t memory_limit_kb;      // Memory limit in KB
    const char* security_policy;   // Security policy name
} module_load_options_t;

/* Error codes */
typedef enum {
    MODULE_SUCCESS = 0,
    MODULE_ERROR_INVALID_PARAMETER = 1,
    MODULE_ERROR_OUT_OF_MEMORY = 2,
    MODULE_ERROR_FILE_NOT_FOUND = 3,
    MODULE_ERROR_INVALID_MODULE = 4,
    MODULE_ERROR_SYMBOL_NOT_FOUND = 5,
    MODULE_ERROR_SECURITY_VIOLATION = 6,
    MODULE_ERROR_RESOURCE_EXHAUSTED = 7,
    MODULE_ERROR_SYSTEM_ERROR = 8
} module_error_t;

/* Error callback (SPEC 7.3) */
typedef void (*module_error_callback_t)(module_error_t error, const char* message);

/* ---- Module-side interface (document: Best Practices, "Export minimal interface") ---------- */

/* Module header (module_interface.h) */
typedef struct {
    bool (*init)(void);
    void (*cleanup)(void);
    int (*process)(const void* input, void* output);
} module_interface_t;

/* Export single interface symbol (defined by a module, never by the library; SPEC 3.6, 9.1) */
extern const module_interface_t module_interface;

/* ---- Core functions --------------------------------------------------------------------- */

module_system_t* module_system_init(const module_system_config_t* config); /* SPEC 2.1-2.2 */
void module_system_destroy(module_system_t* system);                       /* SPEC 2.4 */

module_handle_t module_load(module_system_t* system, const char* module_path); /* SPEC 3 */
module_handle_t module_load_with_options(module_system_t* system, const char* module_path,
                                         const module_load_options_t* options); /* SPEC 3.10 */
bool module_unload(module_handle_t handle);                                     /* SPEC 4 */
void* module_get_symbol(module_handle_t handle, const char* symbol_name);       /* SPEC 5 */
bool module_get_info(module_handle_t handle, module_info_t* info);              /* SPEC 6 */

/* ---- Error handling --------------------------------------------------------------------- */

module_error_t module_get_last_error(void);                       /* SPEC 7.1 */
const char* module_get_error_string(module_error_t error);        /* SPEC 7.2 */
void module_set_error_callback(module_error_callback_t callback); /* SPEC 7.3 */

#ifdef __cplusplus
}
#endif

#endif /* COREMOD_MODULE_INTERFACE_H */
