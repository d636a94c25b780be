/*
 * candidate_api.h — binds the harness, at run time, to the implementation under test.
 *
 * The suite and the benchmarks never link an implementation. They dlopen the candidate shared
 * library named by COREMOD_IMPL and resolve every API function with dlsym on the candidate's own
 * handle, so a candidate may take symbols from its own dependencies. A symbol the candidate does
 * not provide stays NULL: the cases that need it fail; the reference is never a fallback.
 */
#ifndef COREMOD_CANDIDATE_API_H
#define COREMOD_CANDIDATE_API_H

#include <stdbool.h>
#include <stddef.h>

#include "cache_optimization.h"
#include "jit_optimization.h"
#include "module_debugger.h"
#include "module_interface.h"
#include "numa_optimization.h"

/* The lists keep one function per row, each parameter list as C spells it (clang-format would
 * take `module_system_t* system` in a macro argument for a multiplication). */
/* clang-format off */
/* X-macro list of every function of the core API: (return type, name, parameter list). */
#define CANDIDATE_CORE_FUNCTIONS(X)                                                            \
    X(module_system_t*, module_system_init, (const module_system_config_t* config))          \
    X(void, module_system_destroy, (module_system_t* system))                                 \
    X(module_handle_t, module_load, (module_system_t* system, const char* module_path))      \
    X(module_handle_t, module_load_with_options,                                              \
      (module_system_t* system, const char* module_path, const module_load_options_t* options)) \
    X(bool, module_unload, (module_handle_t handle))                                          \
    X(void*, module_get_symbol, (module_handle_t handle, const char* symbol_name))           \
    X(bool, module_get_info, (module_handle_t handle, module_info_t* info))                  \
    X(module_error_t, module_get_last_error, (void))                                          \
    X(const char*, module_get_error_string, (module_error_t error))                           \
    X(void, module_set_error_callback, (module_error_callback_t callback))

/* X-macro list of the JIT, Cache and NUMA APIs (SPEC 10-12), the *_destroy functions and
 * cache_apply_prefetch_pattern the document's examples call, and coremod's two NUMA additions.
 * Resolved like the core list, but checked separately: CORE-API-001 keeps meaning "the core API
 * is complete" (candidate_missing_functions), TOPO-API-001 checks this list. */
#define CANDIDATE_OPTIMIZATION_FUNCTIONS(X)                                                    \
    X(jit_optimization_context_t*, jit_optimization_create, (void))                           \
    X(void, jit_optimization_destroy, (jit_optimization_context_t* ctx))                      \
    X(bool, jit_get_apple_silicon_info, (jit_optimization_context_t* ctx, apple_silicon_info_t* info)) \
    X(bool, jit_generate_compilation_hints,                                                   \
      (jit_optimization_context_t* ctx, const uint8_t* code_buffer, size_t code_size,          \
       jit_compilation_hints_t* hints))                                                       \
    X(cache_optimization_context_t*, cache_optimization_create, (void))                       \
    X(void, cache_optimization_destroy, (cache_optimization_context_t* ctx))                  \
    X(bool, cache_get_hierarchy_info, (cache_optimization_context_t* ctx, cache_hierarchy_info_t* info)) \
    X(bool, cache_generate_prefetch_pattern,                                                  \
      (cache_optimization_context_t* ctx, const void* data_ptr, size_t data_size,              \
       cache_access_pattern_t pattern, cache_prefetch_pattern_t* prefetch_pattern))           \
    X(bool, cache_apply_prefetch_pattern,                                                     \
      (cache_optimization_context_t* ctx, const cache_prefetch_pattern_t* pattern))           \
    X(numa_optimization_context_t*, numa_optimization_create, (void))                         \
    X(void, numa_optimization_destroy, (numa_optimization_context_t* ctx))                    \
    X(bool, numa_get_topology_info, (numa_optimization_context_t* ctx, numa_topology_info_t* topology)) \
    X(bool, numa_place_module,                                                                \
      (numa_optimization_context_t* ctx, const module_placement_request_t* request,            \
       module_placement_result_t* result))                                                    \
    X(bool, numa_release_placement,                                                           \
      (numa_optimization_context_t* ctx, const module_placement_result_t* placement))         \
    X(bool, numa_apply_placement,                                                             \
      (numa_optimization_context_t* ctx, const module_placement_result_t* placement))

/* X-macro list of the Debugging System API (SPEC 14): the document's four functions and
 * coremod's additions (module_debugger.h). Checked separately, like the optimization list
 * (candidate_missing_debugger_functions). */
#define CANDIDATE_DEBUGGER_FUNCTIONS(X)                                                        \
    X(module_debugger_context_t*, module_debugger_create, (void))                             \
    X(void, module_debugger_destroy, (module_debugger_context_t* ctx))                        \
    X(bool, module_debugger_set_breakpoint,                                                   \
      (module_debugger_context_t* ctx, uintptr_t address, debug_breakpoint_type_t type))      \
    X(bool, module_debugger_set_watchpoint,                                                   \
      (module_debugger_context_t* ctx, uintptr_t address, size_t size,                         \
       debug_watchpoint_type_t type))                                                         \
    X(bool, module_debugger_get_processor_state,                                              \
      (module_debugger_context_t* ctx, arm64_processor_state_t* state))                       \
    X(bool, module_debugger_clear_breakpoint, (module_debugger_context_t* ctx, uintptr_t address)) \
    X(bool, module_debugger_clear_watchpoint, (module_debugger_context_t* ctx, uintptr_t address)) \
    X(bool, module_debugger_wait_event,                                                       \
      (module_debugger_context_t* ctx, debug_event_t* event, uint32_t timeout_ms))            \
    X(bool, module_debugger_get_hit_count,                                                    \
      (module_debugger_context_t* ctx, uintptr_t address, uint64_t* count))                   \
    X(bool, module_debugger_get_capabilities,                                                 \
      (module_debugger_context_t* ctx, debug_capabilities_t* caps))                           \
    X(bool, module_debugger_get_x86_64_state,                                                 \
      (module_debugger_context_t* ctx, x86_64_processor_state_t* state))
/* clang-format on */

typedef struct {
#define CANDIDATE_FIELD(ret, name, params) ret(*name) params;
    CANDIDATE_CORE_FUNCTIONS(CANDIDATE_FIELD)
    CANDIDATE_OPTIMIZATION_FUNCTIONS(CANDIDATE_FIELD)
    CANDIDATE_DEBUGGER_FUNCTIONS(CANDIDATE_FIELD)
#undef CANDIDATE_FIELD
    void* library;       /* dlopen handle of the candidate */
    char path[4096];     /* path it was loaded from */
    bool loader_refused; /* candidate_bind failed because the platform loader refused the file */
} candidate_api_t;

/* Environment variable naming the candidate shared library. */
#define CANDIDATE_ENV "COREMOD_IMPL"

/* Loads the candidate at `path` (NULL: $COREMOD_IMPL) with RTLD_NOW | RTLD_LOCAL and resolves every
 * function. Returns false, with a message in `err`, only when the library itself cannot be opened;
 * missing functions are left NULL (see candidate_missing_functions). */
bool candidate_bind(candidate_api_t* api, const char* path, char* err, size_t err_size);

/* Writes the comma-separated names of the core API functions the candidate lacks into `out`
 * ("" if none); returns how many are missing. */
size_t candidate_missing_functions(const candidate_api_t* api, char* out, size_t out_size);

/* The same for CANDIDATE_OPTIMIZATION_FUNCTIONS (the JIT, Cache and NUMA APIs). */
size_t candidate_missing_optimization_functions(const candidate_api_t* api, char* out,
                                                size_t out_size);

/* The same for CANDIDATE_DEBUGGER_FUNCTIONS (the Debugging System API). */
size_t candidate_missing_debugger_functions(const candidate_api_t* api, char* out, size_t out_size);

/* Closes the candidate library and clears `api`. */
void candidate_unbind(candidate_api_t* api);

#endif /* COREMOD_CANDIDATE_API_H */
