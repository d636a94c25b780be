/*
 * run_directory.h — the directory shared by the runner process and the case processes of a run.
 *
 * The report hook (runner process) creates it before the first case and exports its path in
 * COREMOD_CONFORMANCE_RUN_DIR; Criterion's case processes inherit the environment. Cases put their
 * temporary directories and quality notes there; the hook reads the notes and removes the whole
 * directory at the end of the run, which also cleans up after cases that crashed.
 */
#ifndef CONFORMANCE_RUN_DIRECTORY_H
#define CONFORMANCE_RUN_DIRECTORY_H

#include <stdlib.h>

#define CONFORMANCE_RUN_DIR_ENV "COREMOD_CONFORMANCE_RUN_DIR"

/* The run directory, or NULL when the case runs outside a runner (e.g. criterion --debug). */
static inline const char* run_directory(void)
{
    const char* dir = getenv(CONFORMANCE_RUN_DIR_ENV);
    return (dir != NULL && dir[0] != '\0') ? dir : NULL;
}

#endif /* CONFORMANCE_RUN_DIRECTORY_H */
