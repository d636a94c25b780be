/*
 * raw_loader.h — asking the platform loader directly what the candidate did.
 *
 * The candidate and the case share one process, hence one dynamic loader: dlopen with
 * RTLD_NOLOAD tells whether a file is mapped (by file identity, without mapping it or running any
 * of its code), and dlsym on that handle gives the address the loader itself would give.
 */
#ifndef CONFORMANCE_RAW_LOADER_H
#define CONFORMANCE_RAW_LOADER_H

#include <stdbool.h>

/* Whether the file at `path` is mapped in this process now. What is mapped when is coremod's
 * rule (SPEC 3.3, 3.12, 3.13, 2.8): only for cases citing a coremod-level clause. */
bool raw_is_mapped(const char* path);

/* dlsym of `name` in the already mapped file at `path` (NULL if not mapped or not found). */
void* raw_symbol_of_mapped(const char* path, const char* name);

#endif /* CONFORMANCE_RAW_LOADER_H */
