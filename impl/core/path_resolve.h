/*
 * path_resolve.h — from module_load's module_path to the file to open (SPEC 3.1).
 */
#ifndef COREMOD_PATH_RESOLVE_H
#define COREMOD_PATH_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>

#include "errors.h"

/* A module_path containing '/' is used as given. A bare name is looked up in each directory of
 * `search_path` (':'-separated, empty elements skipped); the first directory holding an entry of
 * that name (of any type: a directory or a dangling link there still "holds" it and then fails
 * validation) wins. Writes the path to open into `resolved` (COREMOD_PATH_MAX bytes). On failure
 * (FILE_NOT_FOUND, naming the directories searched) fills `failure` and returns false. */
bool path_resolve(const char* module_path, size_t path_length, const char* search_path,
                  char* resolved, coremod_failure_t* failure);

#endif /* COREMOD_PATH_RESOLVE_H */
