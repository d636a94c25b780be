/* symbol_cache.c — see symbol_cache.h. */
#include "symbol_cache.h"

#include <string.h>

#define INITIAL_CAPACITY 16u

symbol_key_t symbol_key_make(const char* name, size_t length)
{
    uint64_t hash = 0xCBF29CE484222325u; /* FNV-1a offset basis */
    for (size_t i = 0; i < length; i++) {
        hash ^= (unsigned char)name[i];
        hash *= 0x100000001B3u; /* FNV prime */
    }
    return (symbol_key_t){name, length, hash};
}

void symbol_cache_init(symbol_cache_t* cache)
{
    pthread_rwlock_init(&cache->lock, NULL);
    cache->entries = NULL;
    cache->capacity = 0;
    cache->count = 0;
}

void symbol_cache_destroy(symbol_cache_t* cache, memory_pool_t* pool)
{
    for (uint32_t i = 0; i < cache->capacity; i++) {
        symbol_cache_entry_t* entry = &cache->entries[i];
        memory_pool_free(pool, entry->name, entry->length + 1u);
    }
    memory_pool_free(pool, cache->entries, (size_t)cache->capacity * sizeof(*cache->entries));
    pthread_rwlock_destroy(&cache->lock);
    cache->entries = NULL;
    cache->capacity = 0;
    cache->count = 0;
}

/* The entry holding `key`, or the empty entry where it would go. Caller holds the lock. */
static symbol_cache_entry_t* probe(symbol_cache_entry_t* entries, uint32_t capacity,
                                   const symbol_key_t* key)
{
    uint32_t mask = capacity - 1u;
    uint32_t slot = (uint32_t)key->hash & mask;
    for (;;) {
        symbol_cache_entry_t* entry = &entries[slot];
        if (entry->name == NULL || (entry->hash == key->hash && entry->length == key->length &&
                                    memcmp(entry->name, key->name, key->length) == 0)) {
            return entry;
        }
        slot = (slot + 1u) & mask;
    }
}

bool symbol_cache_find(symbol_cache_t* cache, const symbol_key_t* key, void** address_out)
{
    bool found = false;
    pthread_rwlock_rdlock(&cache->lock);
    if (cache->count != 0) {
        symbol_cache_entry_t* entry = probe(cache->entries, cache->capacity, key);
        if (entry->name != NULL) {
            *address_out = entry->address;
            found = true;
        }
    }
    pthread_rwlock_unlock(&cache->lock);
    return found;
}

/* Doubles the entry array when one more entry would pass load factor 1/2. Caller holds the
 * write lock. */
static bool grow_if_needed(symbol_cache_t* cache, memory_pool_t* pool)
{
    if ((cache->count + 1u) * 2u <= cache->capacity) {
        return true;
    }
    uint32_t capacity = cache->capacity == 0 ? INITIAL_CAPACITY : cache->capacity * 2u;
    if (capacity < cache->capacity) {
        return false;
    }
    symbol_cache_entry_t* entries = memory_pool_alloc(pool, (size_t)capacity * sizeof(*entries));
    if (entries == NULL) {
        return false;
    }
    for (uint32_t i = 0; i < cache->capacity; i++) {
        symbol_cache_entry_t* old = &cache->entries[i];
        if (old->name != NULL) {
            symbol_key_t key = {old->name, old->length, old->hash};
            *probe(entries, capacity, &key) = *old;
        }
    }
    memory_pool_free(pool, cache->entries, (size_t)cache->capacity * sizeof(*cache->entries));
    cache->entries = entries;
    cache->capacity = capacity;
    return true;
}

bool symbol_cache_insert(symbol_cache_t* cache, memory_pool_t* pool, const symbol_key_t* key,
                         void* address, void** address_out)
{
    bool stored = false;
    pthread_rwlock_wrlock(&cache->lock);
    symbol_cache_entry_t* entry =
        cache->count != 0 ? probe(cache->entries, cache->capacity, key) : NULL;
    if (entry != NULL && entry->name != NULL) {
        *address_out = entry->address; /* another thread got here first */
        stored = true;
    } else {
        char* name = memory_pool_alloc(pool, key->length + 1u);
        if (name != NULL && grow_if_needed(cache, pool)) {
            memcpy(name, key->name, key->length); /* NUL: memory_pool_alloc zeroes */
            entry = probe(cache->entries, cache->capacity, key);
            *entry = (symbol_cache_entry_t){key->hash, name, key->length, address};
            cache->count++;
            *address_out = address;
            stored = true;
        } else {
            memory_pool_free(pool, name, key->length + 1u);
        }
    }
    pthread_rwlock_unlock(&cache->lock);
    return stored;
}
