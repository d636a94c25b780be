/*
 * memory_pool.h — accounting of the bookkeeping memory a system allocates for its modules
 * (SPEC 2.6: memory_pool_size_mb bounds module records, symbol caches and the file index; the
 * modules' own mappings are the platform loader's and are not counted).
 *
 * This is a budget, not an allocator: blocks come from malloc, and each allocation is charged
 * before it is made and credited when it is freed, so that a load or lookup that would go over the
 * budget fails with MODULE_ERROR_OUT_OF_MEMORY before anything changes.
 */
#ifndef COREMOD_MEMORY_POOL_H
#define COREMOD_MEMORY_POOL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct {
    atomic_size_t used; /* bytes charged now; updated by lookups without the system lock */
    size_t limit;       /* memory_pool_size_mb in bytes */
} memory_pool_t;

void memory_pool_init(memory_pool_t* pool, size_t limit_bytes);

/* calloc of `size` bytes charged to the pool; NULL when over budget or out of memory. */
void* memory_pool_alloc(memory_pool_t* pool, size_t size);

/* Frees a block from memory_pool_alloc; `size` must be the size it was allocated with. */
void memory_pool_free(memory_pool_t* pool, void* block, size_t size);

#endif /* COREMOD_MEMORY_POOL_H */
