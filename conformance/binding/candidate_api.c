/* candidate_api.c — see candidate_api.h. */
#include "candidate_api.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool candidate_bind(candidate_api_t* api, const char* path, char* err, size_t err_size)
{
    if (api == NULL || err == NULL || err_size == 0) {
        return false;
    }
    memset(api, 0, sizeof(*api));
    if (path == NULL) {
        path = getenv(CANDIDATE_ENV);
    }
    if (path == NULL || path[0] == '\0') {
        snprintf(err, err_size, "no candidate: set %s to the implementation's shared library",
                 CANDIDATE_ENV);
        return false;
    }
    if (strlen(path) >= sizeof(api->path)) {
        snprintf(err, err_size, "candidate path is longer than %zu bytes", sizeof(api->path) - 1);
        return false;
    }
    api->library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (api->library == NULL) {
        const char* why = dlerror();
        snprintf(err, err_size, "cannot open candidate %s: %s", path, why ? why : "unknown error");
        api->loader_refused = true;
        return false;
    }
    strcpy(api->path, path);
    /* ISO C forbids converting void* to a function pointer; POSIX guarantees dlsym's result can be
     * converted, and memcpy states that without a cast the compiler would warn about. */
#define CANDIDATE_RESOLVE(ret, name, params)                                                       \
    {                                                                                              \
        void* sym = dlsym(api->library, #name);                                                    \
        memcpy(&api->name, &sym, sizeof(api->name));                                               \
    }
    CANDIDATE_CORE_FUNCTIONS(CANDIDATE_RESOLVE)
    CANDIDATE_OPTIMIZATION_FUNCTIONS(CANDIDATE_RESOLVE)
    CANDIDATE_DEBUGGER_FUNCTIONS(CANDIDATE_RESOLVE)
#undef CANDIDATE_RESOLVE
    err[0] = '\0';
    return true;
}

#define CANDIDATE_CHECK(ret, name, params)                                                         \
    if (api->name == NULL) {                                                                       \
        if (out != NULL && out_size > 0) {                                                         \
            size_t used = strlen(out);                                                             \
            snprintf(out + used, out_size - used, "%s%s", missing ? "," : "", #name);              \
        }                                                                                          \
        missing++;                                                                                 \
    }

size_t candidate_missing_functions(const candidate_api_t* api, char* out, size_t out_size)
{
    size_t missing = 0;
    if (out != NULL && out_size > 0) {
        out[0] = '\0';
    }
    if (api == NULL) {
        return 0;
    }
    CANDIDATE_CORE_FUNCTIONS(CANDIDATE_CHECK)
    return missing;
}

size_t candidate_missing_optimization_functions(const candidate_api_t* api, char* out,
                                                size_t out_size)
{
    size_t missing = 0;
    if (out != NULL && out_size > 0) {
        out[0] = '\0';
    }
    if (api == NULL) {
        return 0;
    }
    CANDIDATE_OPTIMIZATION_FUNCTIONS(CANDIDATE_CHECK)
    return missing;
}

size_t candidate_missing_debugger_functions(const candidate_api_t* api, char* out, size_t out_size)
{
    size_t missing = 0;
    if (out != NULL && out_size > 0) {
        out[0] = '\0';
    }
    if (api == NULL) {
        return 0;
    }
    CANDIDATE_DEBUGGER_FUNCTIONS(CANDIDATE_CHECK)
    return missing;
}

#undef CANDIDATE_CHECK

void candidate_unbind(candidate_api_t* api)
{
    if (api == NULL) {
        return;
    }
    if (api->library != NULL) {
        dlclose(api->library);
    }
    memset(api, 0, sizeof(*api));
}
