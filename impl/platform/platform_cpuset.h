/*
 * platform_cpuset.h — a growable set of CPU numbers and the kernel's "cpulist" text format.
 *
 * Linux prints CPU sets as lists of ranges ("0-3,8,10-11"); older cpufreq files separate plain
 * numbers with spaces ("0 1"). One parser serves every file that holds such a list (online,
 * present, shared_cpu_list, nodeN/cpulist, cpu_core/cpus, related_cpus).
 */
#ifndef COREMOD_PLATFORM_CPUSET_H
#define COREMOD_PLATFORM_CPUSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform_status.h"

/* Highest CPU number + 1 that detection accepts. Linux's largest NR_CPUS is 8192; anything far
 * above it in a recorded file is corruption, not a machine. */
#define PLATFORM_MAX_CPUS 16384u

typedef struct {
    uint32_t nwords; /* words allocated */
    uint64_t* words; /* NULL while empty */
} platform_cpuset_t;

#define PLATFORM_CPUSET_EMPTY                                                                      \
    {                                                                                              \
        0, NULL                                                                                    \
    }

void cpuset_free(platform_cpuset_t* set);
platform_status_t cpuset_add(platform_cpuset_t* set, uint32_t cpu);
platform_status_t cpuset_add_range(platform_cpuset_t* set, uint32_t first, uint32_t last);
platform_status_t cpuset_copy(platform_cpuset_t* dst, const platform_cpuset_t* src);
bool cpuset_contains(const platform_cpuset_t* set, uint32_t cpu);
uint32_t cpuset_count(const platform_cpuset_t* set);
bool cpuset_equal(const platform_cpuset_t* a, const platform_cpuset_t* b);
/* Lowest member >= from, or -1. */
int64_t cpuset_next(const platform_cpuset_t* set, uint32_t from);

/* Parses a cpulist; `out` must be empty. Separators: ',' and white space. Empty text gives an
 * empty set. Reversed ranges, numbers >= PLATFORM_MAX_CPUS and stray characters fail with
 * PLATFORM_ERR_SOURCE_MALFORMED; `out` is then left empty. */
platform_status_t cpuset_parse_list(const char* text, platform_cpuset_t* out);

/* Writes the set as a canonical cpulist ("0-3,8"); returns the length it needs (without NUL),
 * like snprintf, so a too-small buffer is detectable. */
size_t cpuset_format_list(const platform_cpuset_t* set, char* buf, size_t len);

#endif /* COREMOD_PLATFORM_CPUSET_H */
