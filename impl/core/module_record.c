/* module_record.c — creation, listing and closing of module records (see module_system.h). */
#include <dlfcn.h>
#include <sched.h>
#include <string.h>

#include "handle_table.h"
#include "module_system.h"

module_record_t* module_record_create(coremod_system_t* system, const char* path, dev_t device,
                                      ino_t inode, uint64_t file_size)
{
    size_t path_length = strlen(path);
    size_t size = sizeof(module_record_t) + path_length + 1u;
    module_record_t* record = memory_pool_alloc(&system->pool, size);
    if (record == NULL) {
        return NULL;
    }
    record->system = system;
    record->charged_bytes = size;
    record->device = device;
    record->inode = inode;
    record->size_bytes = file_size > UINT32_MAX ? UINT32_MAX : (uint32_t)file_size; /* SPEC 3.9 */
    atomic_init(&record->reference_count, 0);
    atomic_init(&record->pins, 0);
    record->state = RECORD_OPENING;
    symbol_cache_init(&record->symbols);
    memcpy(record->path, path, path_length + 1u);
    return record;
}

void module_record_free(module_record_t* record)
{
    memory_pool_t* pool = &record->system->pool;
    symbol_cache_destroy(&record->symbols, pool);
    memory_pool_free(pool, record, record->charged_bytes);
}

void module_record_link(module_record_t* record)
{
    coremod_system_t* system = record->system;
    record->older = system->newest;
    record->newer = NULL;
    if (system->newest != NULL) {
        system->newest->newer = record;
    } else {
        system->oldest = record;
    }
    system->newest = record;
}

static void unlink_record(module_record_t* record)
{
    coremod_system_t* system = record->system;
    if (record->older != NULL) {
        record->older->newer = record->newer;
    } else {
        system->oldest = record->newer;
    }
    if (record->newer != NULL) {
        record->newer->older = record->older;
    } else {
        system->newest = record->older;
    }
    record->older = record->newer = NULL;
}

void module_record_close(module_record_t* record)
{
    coremod_system_t* system = record->system;
    /* Detach first, so that code run below (cleanup may unload or load modules of this system,
     * re-entering the recursive system lock) never finds this record half closed. */
    module_index_remove(&system->index, record->device, record->inode);
    unlink_record(record);
    handle_table_remove(record->token, HANDLE_KIND_MODULE); /* waits for readers of the record */
    system->open_modules--;
    atomic_store_explicit(&record->reference_count, 0, memory_order_relaxed);

    if (record->cleanup != NULL) {
        record->cleanup(); /* SPEC 3.6: once, before the file is closed */
    }
    /* A lookup that validated the handle before it was removed may still be in dlsym with the
     * record pinned; it needs the library open and the cache allocated until it is done. Such a
     * lookup holds no lock this thread holds, so it finishes. */
    while (atomic_load_explicit(&record->pins, memory_order_acquire) != 0) {
        sched_yield();
    }
    /* dlclose fails only for a handle it did not give out; nothing useful to do about it here. */
    (void)dlclose(record->library);
    module_record_free(record);
}
