/*
 * symbol_cache.h — a module's cache of symbol lookups (SPEC 5.3).
 *
 * glibc's dlsym takes the loader lock, which a concurrent dlopen holds while constructors run, so
 * an uncached lookup can wait for another thread's load. Once a name has been looked up, the
 * answer (an address, or "not provided") is kept here and later lookups never call dlsym again.
 *
 * Open addressing (linear probing, load factor <= 1/2) from the name's 64-bit FNV-1a hash to an
 * owned copy of the name and its address. Readers share an rwlock, so lookups of different or
 * equal names on many threads proceed in parallel; an insert takes it exclusively. The entry
 * array is allocated at the first insert: a module nobody looks up costs nothing. Every byte is
 * charged to the system's memory pool (SPEC 2.6).
 */
#ifndef COREMOD_SYMBOL_CACHE_H
#define COREMOD_SYMBOL_CACHE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memory_pool.h"

typedef struct {
    uint64_t hash;
    char* name; /* NULL: empty slot */
    size_t length;
    void* address; /* NULL: the module does not provide the name */
} symbol_cache_entry_t;

typedef struct {
    pthread_rwlock_t lock;
    symbol_cache_entry_t* entries;
    uint32_t capacity; /* 0 or a power of two */
    uint32_t count;
} symbol_cache_t;

/* A symbol name prepared once per lookup. */
typedef struct {
    const char* name;
    size_t length;
    uint64_t hash;
} symbol_key_t;

symbol_key_t symbol_key_make(const char* name, size_t length);

void symbol_cache_init(symbol_cache_t* cache);

/* Frees every entry and credits `pool`. No other thread may use the cache any more. */
void symbol_cache_destroy(symbol_cache_t* cache, memory_pool_t* pool);

/* True if `key` was cached; *address_out is then its address (NULL: known to be missing). */
bool symbol_cache_find(symbol_cache_t* cache, const symbol_key_t* key, void** address_out);

/* Caches `address` (NULL for a missing name) for `key`. If another thread cached the name first,
 * keeps that entry and returns its address in *address_out (dlsym gives every thread the same
 * answer, so they agree). Returns false, changing nothing, when the pool cannot take the entry. */
bool symbol_cache_insert(symbol_cache_t* cache, memory_pool_t* pool, const symbol_key_t* key,
                         void* address, void** address_out);

#endif /* COREMOD_SYMBOL_CACHE_H */
