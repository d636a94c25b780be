/*
 * module_system.h — the objects behind the opaque tokens: a system and its module records.
 *
 * Lifetimes
 *   A module record is created by the load that opens its file and freed by the unload that
 *   closes it (or by module_system_destroy). It is reachable from its system's index (by file
 *   identity) and load-order list, and, once its init has succeeded, from the handle table. It
 *   is removed from all three under the system lock before its cleanup runs; it is freed only
 *   after every symbol lookup that pinned it (record->pins) has finished.
 *   A system is reference-counted (system->refs): one reference for being registered (dropped by
 *   destroy) and one for each call in progress on it or on one of its handles. The last release
 *   frees it, so a call that raced with destroy still finds valid memory, sees `destroyed` and
 *   fails cleanly.
 *
 * Lock order (a thread takes locks only in this order; never the reverse)
 *   1. system->lock — recursive, one per system. Serialises load, unload and destroy of that
 *      system. Held while dlopen/dlclose and module code (init, cleanup) run, which is why it is
 *      recursive: a module_init may itself load or unload modules of the same system. Module code
 *      that takes another system's lock while its own is held must not create a cycle.
 *   2. the platform loader's own lock (inside dlopen, dlsym, dlclose).
 *   3. the handle table lock (handle_table.h) — held only for lookups and token changes, never
 *      across any call to the platform loader or to module code, never while taking 1 or 2.
 *   4. one symbol cache lock (symbol_cache.h) — taken with the table lock held (shared) or alone.
 *   A failing call reports to the error callback after releasing its own locks (errors.h);
 *   only when module code (init, cleanup) makes the failing call is a system lock held.
 *   Consequence: module constructors and destructors (code the platform loader runs with its own
 *   lock held) must not load, unload or destroy; module_init and module_cleanup may.
 */
#ifndef COREMOD_MODULE_SYSTEM_H
#define COREMOD_MODULE_SYSTEM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "errors.h"
#include "memory_pool.h"
#include "module_index.h"
#include "module_metadata.h"
#include "symbol_cache.h"

struct coremod_system;

typedef enum {
    RECORD_OPENING = 0, /* mapped, init running: in the index, no handle yet */
    RECORD_OPEN = 1,    /* init done: handle published */
} record_state_t;

typedef struct module_record {
    struct coremod_system* system;
    uintptr_t token;       /* the module_handle_t (0 while opening) */
    void* library;         /* dlopen handle */
    void (*cleanup)(void); /* SPEC 3.6; NULL: none */
    dev_t device;          /* file identity (SPEC 3.2) */
    ino_t inode;
    _Atomic uint32_t reference_count; /* written under system->lock, read by module_get_info */
    atomic_uint pins;                 /* symbol lookups running dlsym without the table lock */
    uint8_t state;                    /* record_state_t, under system->lock */
    bool prefer_performance_cores;    /* recorded for placement (SPEC 3.10) */
    uint32_t size_bytes;              /* SPEC 3.9 */
    uint64_t load_time_us;            /* SPEC 3.9 */
    struct module_record* older;      /* load-order list, under system->lock */
    struct module_record* newer;
    size_t charged_bytes; /* what this record itself costs the memory pool */
    symbol_cache_t symbols;
    module_metadata_t metadata;
    char path[]; /* the resolved path, for messages */
} module_record_t;

typedef struct coremod_system {
    atomic_uint refs;              /* see "Lifetimes" above */
    uintptr_t token;               /* the module_system_t* handed out */
    pthread_mutex_t lock;          /* recursive; see "Lock order" */
    bool destroyed;                /* under lock */
    uint32_t open_modules;         /* distinct modules open, OPENING included (SPEC 3.8) */
    module_system_config_t config; /* validated copy; module_search_path points at search_path */
    memory_pool_t pool;            /* SPEC 2.6 */
    module_index_t index;          /* (device, inode) -> record, under lock */
    module_record_t* oldest;       /* load-order list of OPEN records, under lock */
    module_record_t* newest;
    char search_path[];
} coremod_system_t;

/* ---- system_registry.c: system tokens --------------------------------------------------- */

/* Publishes `system` in the handle table and sets system->token. */
bool system_registry_add(coremod_system_t* system);

/* The live system named by `token`, with one reference taken; NULL if none. */
coremod_system_t* system_registry_pin(const module_system_t* token);

/* Invalidates the system's token; false if it was already invalid (a concurrent destroy). */
bool system_registry_remove(coremod_system_t* system);

/* Takes one reference; the caller already holds one or the table lock with the system's token
 * or one of its module tokens just validated. */
void system_retain(coremod_system_t* system);

/* Drops one reference; the last one frees the system (system.c). */
void system_release(coremod_system_t* system);

/* ---- module_record.c: record life cycle ------------------------------------------------- */

/* Allocates a record for the file (charged to the system's pool). NULL: over the pool. */
module_record_t* module_record_create(coremod_system_t* system, const char* path, dev_t device,
                                      ino_t inode, uint64_t file_size);

/* Frees a record that was never opened or whose library is already closed. */
void module_record_free(module_record_t* record);

/* Appends an OPEN record to the system's load-order list. Caller holds system->lock. */
void module_record_link(module_record_t* record);

/* Closes an OPEN record whose reference count reached zero or whose system is destroyed: takes
 * it out of the index, the list and the handle table, runs its cleanup, waits for pinned
 * lookups, closes the library and frees the record. Caller holds system->lock. */
void module_record_close(module_record_t* record);

#endif /* COREMOD_MODULE_SYSTEM_H */
