/* path_resolve.c — see path_resolve.h. */
#include "path_resolve.h"

#include <string.h>
#include <sys/stat.h>

/* Builds dir + "/" + name into `out`; false if it does not fit COREMOD_PATH_MAX (such a path
 * cannot name an entry the loader could open, so the directory is passed over). */
static bool join(const char* dir, size_t dir_length, const char* name, size_t name_length,
                 char* out)
{
    bool needs_slash = dir[dir_length - 1] != '/';
    size_t total = dir_length + (needs_slash ? 1u : 0u) + name_length;
    if (total >= COREMOD_PATH_MAX) {
        return false;
    }
    memcpy(out, dir, dir_length);
    size_t at = dir_length;
    if (needs_slash) {
        out[at++] = '/';
    }
    memcpy(out + at, name, name_length);
    out[total] = '\0';
    return true;
}

bool path_resolve(const char* module_path, size_t path_length, const char* search_path,
                  char* resolved, coremod_failure_t* failure)
{
    if (memchr(module_path, '/', path_length) != NULL) {
        memcpy(resolved, module_path, path_length + 1u);
        return true;
    }
    const char* element = search_path;
    for (;;) {
        const char* end = strchr(element, ':');
        size_t length = end != NULL ? (size_t)(end - element) : strlen(element);
        if (length != 0 && join(element, length, module_path, path_length, resolved)) {
            struct stat entry;
            /* lstat: the first directory holding an entry of that name wins, even if the entry
             * turns out not to be loadable (SPEC 3.1). */
            if (lstat(resolved, &entry) == 0) {
                return true;
            }
        }
        if (end == NULL) {
            break;
        }
        element = end + 1;
    }
    failure_set(failure, MODULE_ERROR_FILE_NOT_FOUND,
                "module '%s' not found: no entry of that name in the directories of "
                "module_search_path \"%s\"",
                module_path, search_path);
    return false;
}
