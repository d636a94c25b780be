/*
 * guard_string.h — strings that end right before an inaccessible page.
 *
 * SPEC 1.4 requires over-long strings to be rejected "without reading past the limit + 1". A
 * string of exactly limit + 1 non-NUL bytes placed so that the next byte is on a PROT_NONE page
 * proves it: an implementation that runs strlen over it crashes the case.
 */
#ifndef CONFORMANCE_GUARD_STRING_H
#define CONFORMANCE_GUARD_STRING_H

#include <stddef.h>

/* `length` bytes of `fill`, no terminating NUL; the byte after them is inaccessible. */
const char* guard_unterminated(size_t length, char fill);

/* A copy of `text` whose terminating NUL is the last accessible byte. */
const char* guard_terminated(const char* text);

/* Unmaps every guard string (called by the case's teardown). */
void guard_strings_release(void);

#endif /* CONFORMANCE_GUARD_STRING_H */
