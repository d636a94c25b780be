/* module_index.c — see module_index.h. */
#include "module_index.h"

#include <stddef.h>

#define INITIAL_CAPACITY 16u

void module_index_init(module_index_t* index)
{
    index->slots = NULL;
    index->capacity = 0;
    index->count = 0;
}

void module_index_destroy(module_index_t* index, memory_pool_t* pool)
{
    memory_pool_free(pool, index->slots, (size_t)index->capacity * sizeof(*index->slots));
    module_index_init(index);
}

static uint32_t home_slot(dev_t device, ino_t inode, uint32_t capacity)
{
    /* Inodes of one directory are often consecutive; a multiplicative mix spreads them. */
    uint64_t key = (uint64_t)inode * 0x9E3779B97F4A7C15u ^ (uint64_t)device * 0xC2B2AE3D27D4EB4Fu;
    return (uint32_t)(key >> 32) & (capacity - 1u);
}

static uint32_t find_slot(const module_index_t* index, dev_t device, ino_t inode)
{
    uint32_t mask = index->capacity - 1u;
    uint32_t slot = home_slot(device, inode, index->capacity);
    while (index->slots[slot].value != NULL) {
        if (index->slots[slot].device == device && index->slots[slot].inode == inode) {
            return slot;
        }
        slot = (slot + 1u) & mask;
    }
    return slot; /* the empty slot where the key would go */
}

void* module_index_find(const module_index_t* index, dev_t device, ino_t inode)
{
    if (index->count == 0) {
        return NULL;
    }
    return index->slots[find_slot(index, device, inode)].value;
}

bool module_index_reserve(module_index_t* index, memory_pool_t* pool)
{
    /* Keep the load factor at or below one half so probes stay short. */
    if ((index->count + 1u) * 2u <= index->capacity) {
        return true;
    }
    uint32_t capacity = index->capacity == 0 ? INITIAL_CAPACITY : index->capacity * 2u;
    if (capacity < index->capacity) {
        return false;
    }
    module_index_slot_t* slots = memory_pool_alloc(pool, (size_t)capacity * sizeof(*slots));
    if (slots == NULL) {
        return false;
    }
    module_index_t grown = {slots, capacity, 0};
    for (uint32_t i = 0; i < index->capacity; i++) {
        if (index->slots[i].value != NULL) {
            module_index_insert(&grown, index->slots[i].device, index->slots[i].inode,
                                index->slots[i].value);
        }
    }
    memory_pool_free(pool, index->slots, (size_t)index->capacity * sizeof(*index->slots));
    *index = grown;
    return true;
}

void module_index_insert(module_index_t* index, dev_t device, ino_t inode, void* value)
{
    uint32_t slot = find_slot(index, device, inode);
    index->slots[slot] = (module_index_slot_t){device, inode, value};
    index->count++;
}

void module_index_remove(module_index_t* index, dev_t device, ino_t inode)
{
    if (index->count == 0) {
        return;
    }
    uint32_t mask = index->capacity - 1u;
    uint32_t hole = find_slot(index, device, inode);
    if (index->slots[hole].value == NULL) {
        return;
    }
    index->slots[hole].value = NULL;
    index->count--;
    /* Backward-shift deletion: move later members of the probe run into the hole when their
     * home slot does not lie (cyclically) between the hole and their position. */
    uint32_t slot = (hole + 1u) & mask;
    while (index->slots[slot].value != NULL) {
        uint32_t home =
            home_slot(index->slots[slot].device, index->slots[slot].inode, index->capacity);
        bool home_in_gap = ((slot - home) & mask) < ((slot - hole) & mask);
        if (!home_in_gap) {
            index->slots[hole] = index->slots[slot];
            index->slots[slot].value = NULL;
            hole = slot;
        }
        slot = (slot + 1u) & mask;
    }
}
