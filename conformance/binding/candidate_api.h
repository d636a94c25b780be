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

#include "module_interface.h"

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

typedef struct {
#define CANDIDATE_FIELD(ret, name, params) ret(*name) params;
    CANDIDATE_CORE_FUNCTIONS(CANDIDATE_FIELD)
#undef CANDIDATE_FIELD
    void* library;   /* dlopen handle of the candidate */
    char path[4096]; /* path it was loaded from */
} candidate_api_t;

/* Environment variable naming the candidate shared library. */
#define CANDIDATE_ENV "COREMOD_IMPL"

/* Loads the candidate at `path` (NULL: $COREMOD_IMPL) with RTLD_NOW | RTLD_LOCAL and resolves every
 * function. Returns false, with a message in `err`, only when the library itself cannot be opened;
 * missing functions are left NULL (see candidate_missing_functions). */
bool candidate_bind(candidate_api_t* api, const char* path, char* err, size_t err_size);

/* Writes the comma-separated names of the functions the candidate lacks into `out` ("" if none);
 * returns how many are missing. */
size_t candidate_missing_functions(const candidate_api_t* api, char* out, size_t out_size);

/* Closes the candidate library and clears `api`. */
void candidate_unbind(candidate_api_t* api);

#endif /* COREMOD_CANDIDATE_API_H */
