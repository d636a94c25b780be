/* raw_loader.c — see raw_loader.h. */
#include "raw_loader.h"

#include <dlfcn.h>
#include <stddef.h>
#include <sys/stat.h>

#include "case_context.h"

bool raw_is_mapped(const char* path)
{
    conformance_require_coremod_case("raw_is_mapped",
                                     "SPEC 3.3, 3.12, 3.13 and 2.8: whether a "
                                     "refused, unloaded or destroyed module stays mapped");
    /* Only a regular file can be mapped; asking the loader about a FIFO would block it in open. */
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        return false;
    }
    /* RTLD_NOLOAD only looks: glibc returns before mapping anything if the file is not loaded.
     * A hit raises the loader's count, which the dlclose gives back. */
    void* library = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
    if (library == NULL) {
        dlerror(); /* clear the loader's message so it cannot leak into a later check */
        return false;
    }
    dlclose(library);
    return true;
}

void* raw_symbol_of_mapped(const char* path, const char* name)
{
    void* library = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
    if (library == NULL) {
        dlerror();
        return NULL;
    }
    void* address = dlsym(library, name);
    dlclose(library);
    return address;
}
