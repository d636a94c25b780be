/*
 * spec_levels.h — the level of each SPEC clause (conformance/SPEC.md, "Whose rule"), generated at
 * build time from SPEC.md's Level lines (spec_levels_gen.py).
 */
#ifndef CONFORMANCE_SPEC_LEVELS_H
#define CONFORMANCE_SPEC_LEVELS_H

#include <stdbool.h>

/* Whether `clause` (e.g. "3.4") is a numbered clause of SPEC.md; if so, *document says whether
 * its level is `document` (else `coremod`). */
bool spec_clause_level(const char* clause, bool* document);

/* The clause's title in SPEC.md ("Reference counting"), or "" when it has none. */
const char* spec_clause_title(const char* clause);

#endif /* CONFORMANCE_SPEC_LEVELS_H */
