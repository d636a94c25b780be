/*
 * cache_prefetch_rules.h — how a prefetch pattern follows from the data size, the caches and the
 * access pattern (SPEC 11.4–11.9). A pure function of the hierarchy view the context reports,
 * kept apart from the API so that each rule reads as its SPEC clause.
 */
#ifndef COREMOD_CACHE_PREFETCH_RULES_H
#define COREMOD_CACHE_PREFETCH_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cache_optimization.h"

/* SPEC 11.4 constants. */
#define CACHE_DEFAULT_LINE_BYTES 64u /* when neither L1 nor L2 reports a line size */
#define CACHE_WINDOW_L1_DIVISOR 16u  /* the prefetch window: 1/16 of the L1 data cache */
#define CACHE_WINDOW_MIN_LINES 2u
#define CACHE_WINDOW_UNKNOWN_L1 8u /* lines, when the L1 size is unknown */

/* What the rules read: the context's hierarchy view and whether the machine is ARM (11.9). */
typedef struct {
    cache_hierarchy_info_t hierarchy;
    bool arm;
} cache_machine_t;

/* Fills *out for `size` (> 0) bytes accessed with `pattern` (one of the four values). */
void cache_prefetch_pattern_for(const cache_machine_t* machine, size_t size,
                                cache_access_pattern_t pattern, cache_prefetch_pattern_t* out);

#endif /* COREMOD_CACHE_PREFETCH_RULES_H */
