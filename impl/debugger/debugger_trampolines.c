/*
 * debugger_trampolines.c — executable regions placed in holes of the address space near the
 * code they serve (so x86-64 rel32 and AArch64 imm26 reach back), cut into fixed slots.
 * Regions are never unmapped: a thread may still be running a slot after its breakpoint went.
 */
#include "debugger_code_memory.h"

#include <stdatomic.h>
#include <sys/mman.h>

#include "debugger_memory_map.h"

#define TRAMPOLINE_REGION_SIZE (64u * 1024u)
#define TRAMPOLINE_MAX_REGIONS 64u
#define TRAMPOLINE_FREED_MAX 4096u
/* Freed slots wait until this many are queued before one is reused. */
#define TRAMPOLINE_REUSE_AFTER 1024u

typedef struct {
    uintptr_t base;
    size_t used;
} trampoline_region_t;

static trampoline_region_t regions[TRAMPOLINE_MAX_REGIONS];
static size_t region_count;
static uintptr_t freed[TRAMPOLINE_FREED_MAX]; /* FIFO ring */
static size_t freed_head, freed_count;

static bool slot_in_reach(uintptr_t slot, uintptr_t near, uintptr_t reach)
{
    uintptr_t low = slot < near ? near - slot : slot - near;
    uintptr_t end = slot + DISPLACED_SLOT_SIZE;
    uintptr_t high = end < near ? near - end : end - near;
    return low <= reach && high <= reach;
}

static uintptr_t reuse_freed(uintptr_t near, uintptr_t reach)
{
    if (freed_count < TRAMPOLINE_REUSE_AFTER) {
        return 0;
    }
    for (size_t i = 0; i < freed_count - TRAMPOLINE_REUSE_AFTER + 1; i++) {
        size_t index = (freed_head + i) % TRAMPOLINE_FREED_MAX;
        uintptr_t slot = freed[index];
        if (slot_in_reach(slot, near, reach)) {
            /* Close the gap: move the oldest into this place. */
            freed[index] = freed[freed_head];
            freed_head = (freed_head + 1) % TRAMPOLINE_FREED_MAX;
            freed_count--;
            return slot;
        }
    }
    return 0;
}

static trampoline_region_t* region_map_near(uintptr_t near, uintptr_t reach)
{
    if (region_count == TRAMPOLINE_MAX_REGIONS) {
        return NULL;
    }
    uintptr_t start;
    if (!memory_map_find_hole(near, TRAMPOLINE_REGION_SIZE, reach, &start)) {
        return NULL;
    }
    void* mapped = mmap((void*)start, TRAMPOLINE_REGION_SIZE, PROT_READ | PROT_EXEC,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (mapped == MAP_FAILED) {
        return NULL;
    }
    if ((uintptr_t)mapped != start) { /* a kernel without MAP_FIXED_NOREPLACE took it as a hint */
        munmap(mapped, TRAMPOLINE_REGION_SIZE);
        return NULL;
    }
    trampoline_region_t* region = &regions[region_count++];
    region->base = start;
    region->used = 0;
    return region;
}

uintptr_t trampoline_allocate(uintptr_t near, uintptr_t reach)
{
    for (size_t i = 0; i < region_count; i++) {
        trampoline_region_t* region = &regions[i];
        if (region->used + DISPLACED_SLOT_SIZE <= TRAMPOLINE_REGION_SIZE &&
            slot_in_reach(region->base + region->used, near, reach)) {
            uintptr_t slot = region->base + region->used;
            region->used += DISPLACED_SLOT_SIZE;
            return slot;
        }
    }
    uintptr_t slot = reuse_freed(near, reach);
    if (slot != 0) {
        return slot;
    }
    trampoline_region_t* region = region_map_near(near, reach);
    if (region == NULL) {
        return 0;
    }
    region->used = DISPLACED_SLOT_SIZE;
    return region->base;
}

void trampoline_free(uintptr_t slot)
{
    if (freed_count == TRAMPOLINE_FREED_MAX) { /* full: the oldest is dropped, never reused */
        freed_head = (freed_head + 1) % TRAMPOLINE_FREED_MAX;
        freed_count--;
    }
    freed[(freed_head + freed_count) % TRAMPOLINE_FREED_MAX] = slot;
    freed_count++;
}

bool trampoline_write(uintptr_t slot, const void* code, size_t length)
{
    if (length > DISPLACED_SLOT_SIZE) {
        return false;
    }
    return code_memory_write(slot, code, length, PROT_READ | PROT_EXEC);
}
