/* handle_table.c — see handle_table.h for the token encoding and the locking rules. */
#include "handle_table.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/random.h>
#endif

#define SLOT_BITS 24u
#define GENERATION_BITS 39u
#define TOKEN_TAG ((uint64_t)1 << 63)
#define SLOT_MASK (((uint64_t)1 << SLOT_BITS) - 1)
#define GENERATION_MAX (((uint64_t)1 << GENERATION_BITS) - 1)
#define SLOT_LIMIT ((uint32_t)SLOT_MASK) /* slot indices 0 .. SLOT_LIMIT - 1 */

/* Chunk c holds FIRST_CHUNK_SLOTS << c slots, so the first 64 slots cost 1.5 KB and the table
 * can still reach SLOT_LIMIT with a fixed directory of CHUNK_COUNT pointers. */
#define FIRST_CHUNK_SLOTS 64u
#define CHUNK_COUNT 19u

#define NO_SLOT UINT32_MAX

typedef enum { SLOT_FREE = 0, SLOT_RESERVED, SLOT_LIVE, SLOT_RETIRED } slot_state_t;

typedef struct {
    void* object;        /* live: the object; otherwise NULL */
    uint64_t generation; /* live: the generation in its token; free: the next token's */
    uint32_t next_free;  /* free: next slot of the free list */
    uint8_t state;       /* slot_state_t */
    uint8_t kind;        /* handle_kind_t while live */
} handle_slot_t;

static struct {
    pthread_rwlock_t lock;
    handle_slot_t* chunks[CHUNK_COUNT];
    uint32_t chunks_allocated;
    uint32_t slots_created;    /* slots 0 .. slots_created - 1 have been handed out once */
    uint32_t free_head;        /* LIFO free list: reuses warm slots first */
    uint32_t reserved_or_live; /* slots not free: while non-zero the chunks must stay */
    uint64_t salt;
    bool salted;
} table = {
#if defined(__GLIBC__)
    /* Writer-preferring: lookups are frequent and short, so a reader-preferring lock could starve
     * a load or unload. Safe because no thread ever takes this lock twice. */
    .lock = PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP,
#else
    .lock = PTHREAD_RWLOCK_INITIALIZER,
#endif
    .free_head = NO_SLOT,
};

static uint32_t chunk_first_slot(uint32_t chunk)
{
    return FIRST_CHUNK_SLOTS * ((1u << chunk) - 1u);
}

static handle_slot_t* slot_at(uint32_t slot)
{
    /* slot / FIRST + 1 lies in [2^c, 2^(c+1)) for chunk c. */
    uint32_t chunk = 31u - (uint32_t)__builtin_clz(slot / FIRST_CHUNK_SLOTS + 1u);
    return &table.chunks[chunk][slot - chunk_first_slot(chunk)];
}

static uint64_t random_salt(void)
{
    uint64_t salt = 0;
#if defined(__linux__)
    if (getrandom(&salt, sizeof(salt), GRND_NONBLOCK) != (ssize_t)sizeof(salt)) {
        salt = 0;
    }
#elif defined(__APPLE__)
    arc4random_buf(&salt, sizeof(salt));
#endif
    if (salt == 0) {
        /* No entropy source answered: mix what differs between processes and runs. */
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        salt = (uint64_t)now.tv_nsec * 0x9E3779B97F4A7C15u ^ (uint64_t)now.tv_sec ^
               ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)&salt;
    }
    return salt & ~TOKEN_TAG;
}

/* Creates one more slot, allocating the next chunk when the current ones are full. Caller holds
 * the write lock. */
static uint32_t create_slot(void)
{
    if (table.slots_created >= SLOT_LIMIT) {
        return NO_SLOT;
    }
    if (table.slots_created == chunk_first_slot(table.chunks_allocated)) {
        if (table.chunks_allocated == CHUNK_COUNT) {
            return NO_SLOT;
        }
        size_t count = (size_t)FIRST_CHUNK_SLOTS << table.chunks_allocated;
        handle_slot_t* chunk = calloc(count, sizeof(*chunk));
        if (chunk == NULL) {
            return NO_SLOT;
        }
        table.chunks[table.chunks_allocated++] = chunk;
    }
    uint32_t slot = table.slots_created++;
    slot_at(slot)->generation = 1;
    return slot;
}

bool handle_table_reserve(uint32_t* slot_out)
{
    pthread_rwlock_wrlock(&table.lock);
    if (!table.salted) {
        table.salt = random_salt();
        table.salted = true;
    }
    uint32_t slot = table.free_head;
    if (slot != NO_SLOT) {
        table.free_head = slot_at(slot)->next_free;
    } else {
        slot = create_slot();
    }
    if (slot != NO_SLOT) {
        handle_slot_t* entry = slot_at(slot);
        entry->state = SLOT_RESERVED;
        entry->next_free = NO_SLOT;
        table.reserved_or_live++;
    }
    pthread_rwlock_unlock(&table.lock);
    *slot_out = slot;
    return slot != NO_SLOT;
}

uintptr_t handle_table_publish(uint32_t slot, handle_kind_t kind, void* object)
{
    pthread_rwlock_wrlock(&table.lock);
    handle_slot_t* entry = slot_at(slot);
    entry->object = object;
    entry->kind = (uint8_t)kind;
    entry->state = SLOT_LIVE;
    uint64_t raw = TOKEN_TAG | entry->generation << SLOT_BITS | slot;
    uintptr_t token = (uintptr_t)(raw ^ table.salt);
    pthread_rwlock_unlock(&table.lock);
    return token;
}

/* Puts a slot on the free list. Caller holds the write lock. */
static void free_slot(uint32_t slot, handle_slot_t* entry)
{
    entry->object = NULL;
    entry->kind = 0;
    entry->state = SLOT_FREE;
    entry->next_free = table.free_head;
    table.free_head = slot;
    table.reserved_or_live--;
}

void handle_table_unreserve(uint32_t slot)
{
    pthread_rwlock_wrlock(&table.lock);
    /* No token names this generation yet, so the slot can be reused as it is. */
    free_slot(slot, slot_at(slot));
    pthread_rwlock_unlock(&table.lock);
}

/* The live slot `token` names, or NULL. Caller holds the lock (either mode). */
static handle_slot_t* find_live(uintptr_t token, handle_kind_t kind, uint32_t* slot_out)
{
    if (!table.salted) {
        return NULL; /* nothing was ever handed out */
    }
    uint64_t raw = (uint64_t)token ^ table.salt;
    if ((raw & TOKEN_TAG) == 0) {
        return NULL;
    }
    uint32_t slot = (uint32_t)(raw & SLOT_MASK);
    uint64_t generation = (raw & ~TOKEN_TAG) >> SLOT_BITS;
    if (slot >= table.slots_created) {
        return NULL;
    }
    handle_slot_t* entry = slot_at(slot);
    if (entry->state != SLOT_LIVE || entry->generation != generation || entry->kind != kind) {
        return NULL;
    }
    *slot_out = slot;
    return entry;
}

bool handle_table_remove(uintptr_t token, handle_kind_t kind)
{
    pthread_rwlock_wrlock(&table.lock);
    uint32_t slot = 0;
    handle_slot_t* entry = find_live(token, kind, &slot);
    if (entry != NULL) {
        if (entry->generation == GENERATION_MAX) {
            /* One more generation would repeat an old token: take the slot out of service. */
            entry->object = NULL;
            entry->state = SLOT_RETIRED;
            table.reserved_or_live--;
        } else {
            entry->generation++;
            free_slot(slot, entry);
        }
    }
    pthread_rwlock_unlock(&table.lock);
    return entry != NULL;
}

void handle_table_read_lock(void)
{
    pthread_rwlock_rdlock(&table.lock);
}

void handle_table_read_unlock(void)
{
    pthread_rwlock_unlock(&table.lock);
}

void* handle_table_lookup_locked(uintptr_t token, handle_kind_t kind)
{
    uint32_t slot = 0;
    handle_slot_t* entry = find_live(token, kind, &slot);
    return entry != NULL ? entry->object : NULL;
}

/* When the library itself is unloaded (a harness dlcloses its candidate) nothing can name a token
 * any more, so the chunks can go: without this, valgrind rightly reports them lost once the only
 * pointers to them are unmapped. At process exit other threads may still be using the table, so
 * the chunks are freed only when no object is live or reserved; otherwise they stay reachable. */
__attribute__((destructor)) static void handle_table_release(void)
{
    pthread_rwlock_wrlock(&table.lock);
    if (table.reserved_or_live == 0) {
        for (uint32_t c = 0; c < table.chunks_allocated; c++) {
            free(table.chunks[c]);
            table.chunks[c] = NULL;
        }
        table.chunks_allocated = 0;
        table.slots_created = 0;
        table.free_head = NO_SLOT;
    }
    pthread_rwlock_unlock(&table.lock);
}
