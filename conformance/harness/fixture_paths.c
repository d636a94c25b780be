/* fixture_paths.c — see fixture_paths.h. */
#include "fixture_paths.h"

#include <stdlib.h>
#include <sys/stat.h>

#include "case_context.h"
#include "case_memory.h"

#ifndef COREMOD_DEFAULT_FIXTURES_DIR
#error "the build must define COREMOD_DEFAULT_FIXTURES_DIR (conformance/meson.build)"
#endif

const char* fixtures_dir(void)
{
    const char* dir = getenv(FIXTURES_DIR_ENV);
    return (dir != NULL && dir[0] != '\0') ? dir : COREMOD_DEFAULT_FIXTURES_DIR;
}

static const char* existing_fixture(const char* path)
{
    struct stat st;
    /* lstat: a fixture may legitimately be a directory (bad/dir_module.so). */
    if (lstat(path, &st) != 0) {
        conformance_fail("harness: fixture %s is missing (build the fixtures or set %s)", path,
                         FIXTURES_DIR_ENV);
    }
    return path;
}

const char* fixture_module(const char* name)
{
    return existing_fixture(case_strf("%s/modules/%s.so", fixtures_dir(), name));
}

const char* fixture_bad(const char* name)
{
    return existing_fixture(case_strf("%s/bad/%s", fixtures_dir(), name));
}
