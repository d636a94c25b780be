/*
 * module_index.h — a system's map from file identity (device, inode) to its open module
 * (SPEC 3.2: two paths to one file are one module). Open addressing with linear probing; the
 * slot array is charged to the system's memory pool and allocated at the first insert, so an
 * unused system costs nothing. Guarded by the owning system's lock.
 */
#ifndef COREMOD_MODULE_INDEX_H
#define COREMOD_MODULE_INDEX_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "memory_pool.h"

typedef struct {
    dev_t device;
    ino_t inode;
    void* value; /* NULL: empty slot */
} module_index_slot_t;

typedef struct {
    module_index_slot_t* slots;
    uint32_t capacity; /* 0 or a power of two */
    uint32_t count;
} module_index_t;

void module_index_init(module_index_t* index);
void module_index_destroy(module_index_t* index, memory_pool_t* pool);

/* The value stored for (device, inode), or NULL. */
void* module_index_find(const module_index_t* index, dev_t device, ino_t inode);

/* Makes sure one more insert cannot fail (grows the array, charged to `pool`). */
bool module_index_reserve(module_index_t* index, memory_pool_t* pool);

/* Inserts a key that is not present; module_index_reserve must have succeeded just before. */
void module_index_insert(module_index_t* index, dev_t device, ino_t inode, void* value);

/* Removes (device, inode) if present. */
void module_index_remove(module_index_t* index, dev_t device, ino_t inode);

#endif /* COREMOD_MODULE_INDEX_H */
