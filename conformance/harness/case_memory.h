/*
 * case_memory.h — allocations that live until the case ends.
 *
 * Cases build many small strings (paths, expected messages). Returning them from one arena keeps
 * the cases free of free() calls and keeps LeakSanitizer quiet: everything is released by the
 * case's teardown. Main thread only (not thread-safe).
 */
#ifndef CONFORMANCE_CASE_MEMORY_H
#define CONFORMANCE_CASE_MEMORY_H

#include <stddef.h>

/* Zeroed memory of `size` bytes, released at the end of the case; fails the case if exhausted. */
void* case_alloc(size_t size);

/* printf into a string released at the end of the case. */
char* case_strf(const char* format, ...) __attribute__((format(printf, 1, 2)));

/* Copy of `text` released at the end of the case. */
char* case_strdup(const char* text);

/* Releases everything (called by the case's teardown). */
void case_memory_release(void);

#endif /* CONFORMANCE_CASE_MEMORY_H */
