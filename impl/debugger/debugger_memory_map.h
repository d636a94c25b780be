/*
 * debugger_memory_map.h — what /proc/self/maps says about an address (SPEC 14): whether it is
 * mapped, with which protection, and where the holes near it are, so the debugger can check a
 * breakpoint is on code, give watched pages back their original protection and place
 * trampolines within a branch's reach. Set time only (reads a file; not for signal handlers).
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

#endif /* COREMOD_DEBUGGER_MEMORY_MAP_H */
