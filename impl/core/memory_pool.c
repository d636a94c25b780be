/* memory_pool.c — see memory_pool.h. */
#include "memory_pool.h"

#include <stdlib.h>

void memory_pool_init(memory_pool_t* pool, size_t limit_bytes)
{
    atomic_init(&pool->used, 0);
    pool->limit = limit_bytes;
}

static bool charge(memory_pool_t* pool, size_t size)
{
    size_t used = atomic_load_explicit(&pool->used, memory_order_relaxed);
    do {
        if (size > pool->limit - used) {
            return false;
        }
    } while (!atomic_compare_exchange_weak_explicit(&pool->used, &used, used + size,
                                                    memory_order_relaxed, memory_order_relaxed));
    return true;
}

static void credit(memory_pool_t* pool, size_t size)
{
    atomic_fetch_sub_explicit(&pool->used, size, memory_order_relaxed);
}

void* memory_pool_alloc(memory_pool_t* pool, size_t size)
{
    if (!charge(pool, size)) {
        return NULL;
    }
    void* block = calloc(1, size);
    if (block == NULL) {
        credit(pool, size);
    }
    return block;
}

void memory_pool_free(memory_pool_t* pool, void* block, size_t size)
{
    if (block != NULL) {
        free(block);
        credit(pool, size);
    }
}
