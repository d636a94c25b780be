/*
 * handle_table.h — the process-global table that turns opaque tokens into objects (SPEC 1.3).
 *
 * Module handles and system pointers handed to callers are tokens, not addresses. A token encodes
 * a slot index and that slot's generation count, XORed with a random per-process salt:
 *
 *     raw   = 1 << 63 | generation << 24 | slot        (slot: 24 bits, generation: 39 bits)
 *     token = raw ^ salt                               (salt: random, bit 63 clear)
 *
 * Validation decodes the token and compares it with the table's own slot; it never reads memory
 * at the caller's value, so a stale handle, a random pointer or the address of a local variable
 * fails cleanly. Bit 63 is always set, so a token is never NULL and never a user-space address
 * (dereferencing one by mistake faults at once instead of reading something plausible). A slot's
 * generation grows by one each time its object is removed; a slot whose generation would wrap is
 * retired, so no token value is ever reused within the process (SPEC 1.3). The salt makes a
 * value guessed or carried over from another process unlikely to name a live slot.
 *
 * Slots live in chunks that are allocated once and never move or shrink (SPEC 8.2), and that are
 * kept for the life of the process: they hold the generation counts that make tokens unique.
 *
 * Locking: one process-wide rwlock. Readers (validation + the short work done with the object)
 * take it shared; reserve/publish/remove take it exclusive for a few instructions. It is never
 * held while module code, dlopen, dlsym or dlclose runs, nor while taking any other lock except
 * a symbol cache's lock (see module_system.h, "Lock order").
 */
#ifndef COREMOD_HANDLE_TABLE_H
#define COREMOD_HANDLE_TABLE_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    HANDLE_KIND_SYSTEM = 1, /* a module_system_t* handed out by module_system_init */
    HANDLE_KIND_MODULE = 2, /* a module_handle_t handed out by module_load */
    /* The optimization contexts (impl/optimization/optimization_context.h): validated the same
     * way, so a context of one API passed to another is rejected like a stale handle. */
    HANDLE_KIND_JIT_CONTEXT = 3,   /* jit_optimization_create */
    HANDLE_KIND_CACHE_CONTEXT = 4, /* cache_optimization_create */
    HANDLE_KIND_NUMA_CONTEXT = 5,  /* numa_optimization_create */
    HANDLE_KIND_DEBUGGER = 6,      /* module_debugger_create (impl/debugger/debugger_context.h) */
} handle_kind_t;

/* Reserves a slot that no token names yet, so that a later publish cannot fail. Returns false
 * when memory for a new chunk cannot be allocated or every slot index is in use. */
bool handle_table_reserve(uint32_t* slot_out);

/* Makes a reserved slot live for `object` and returns its token (never 0). */
uintptr_t handle_table_publish(uint32_t slot, handle_kind_t kind, void* object);

/* Gives back a reserved slot that was never published. */
void handle_table_unreserve(uint32_t slot);

/* Invalidates `token` if it names a live object of `kind`; returns false if it does not (e.g. a
 * concurrent caller removed it first). Waits for every reader that is using the object. */
bool handle_table_remove(uintptr_t token, handle_kind_t kind);

/* Shared lock around lookups; the object returned by a lookup stays in the table (and so
 * allocated, see module_system.h) until the lock is released. */
void handle_table_read_lock(void);
void handle_table_read_unlock(void);

/* The live object of `kind` named by `token`, or NULL. Caller holds the read lock. */
void* handle_table_lookup_locked(uintptr_t token, handle_kind_t kind);

#endif /* COREMOD_HANDLE_TABLE_H */
