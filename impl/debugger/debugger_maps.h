/*
 * debugger_maps.h — what /proc/self/maps says about an address range, for the set calls'
 * validation (done at set time, never in a handler).
 */
#ifndef COREMOD_DEBUGGER_MAPS_H
#define COREMOD_DEBUGGER_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    DEBUGGER_RANGE_MAPPED = 0,     /* every byte is in some mapping (and executable if asked) */
    DEBUGGER_RANGE_NOT_MAPPED = 1, /* some byte is in no mapping */
    DEBUGGER_RANGE_NOT_EXECUTABLE = 2,
    DEBUGGER_RANGE_UNREADABLE = 3, /* /proc/self/maps could not be read */
} debugger_range_t;

/* [address, address + size) (size >= 1, no overflow: the caller checked). */
debugger_range_t debugger_maps_check(uintptr_t address, size_t size, bool executable);

#endif /* COREMOD_DEBUGGER_MAPS_H */
