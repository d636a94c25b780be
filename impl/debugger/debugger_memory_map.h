/*
 * debugger_memory_map.h — what /proc/self/maps says about an address (SPEC 14): whether it is
 * mapped, with which protection, and where the holes near it are, so the debugger can check a
 * breakpoint is on code and a watched range is mapped, give watched pages back their original
 * protection and place trampolines within a branch's reach. Set time only (reads a file; not for
 * signal handlers).
 */
#ifndef COREMOD_DEBUGGER_MEMORY_MAP_H
#define COREMOD_DEBUGGER_MEMORY_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The PROT_* bits of the mapping holding `address`; false when it is not mapped. */
bool memory_map_protection(uintptr_t address, int* protection);

/* A free, page-aligned range of `size` bytes whose every byte is within `reach` bytes of `near`
 * (nearest first); false when there is none. */
bool memory_map_find_hole(uintptr_t near, size_t size, uintptr_t reach, uintptr_t* start);

typedef enum {
    MEMORY_RANGE_MAPPED = 0,     /* every byte is in some mapping (and executable if asked) */
    MEMORY_RANGE_NOT_MAPPED = 1, /* some byte is in no mapping */
    MEMORY_RANGE_NOT_EXECUTABLE = 2,
    MEMORY_RANGE_UNREADABLE = 3, /* /proc/self/maps could not be read */
} memory_range_t;

/* Whether [address, address + size) is mapped (size >= 1, no overflow: the caller checked), for
 * the set calls' validation. */
memory_range_t memory_map_check_range(uintptr_t address, size_t size, bool executable);

#endif /* COREMOD_DEBUGGER_MEMORY_MAP_H */
