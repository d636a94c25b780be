/*
 * module_query.c — module_get_symbol and module_get_info (SPEC 5, 6).
 *
 * Neither takes the system lock: both validate the handle under the handle table's shared lock,
 * which keeps the record allocated while they read it (closing a module removes its token under
 * the exclusive lock first). A cached lookup never leaves that path. An uncached one pins the
 * record, drops the table lock and calls dlsym (which may wait for the platform loader's lock
 * behind a concurrent dlopen), then caches the answer; the pin keeps the library open and the
 * cache allocated until it is done (module_record_close waits for it).
 */
#include <dlfcn.h>
#include <string.h>

#include "handle_table.h"
#include "module_system.h"

static void fail_bad_handle(const char* operation, module_handle_t handle)
{
    error_fail(MODULE_ERROR_INVALID_PARAMETER,
               "%s: handle %p is not a loaded module (never "
               "loaded, already unloaded, or its system destroyed)",
               operation, (void*)handle);
}

/* Validates symbol_name (SPEC 5.4, 5.8, 1.4); reports and returns false if it is bad. */
static bool check_symbol_name(const char* symbol_name, size_t* length)
{
    if (symbol_name == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "module_get_symbol: symbol_name is NULL");
        return false;
    }
    *length = strnlen(symbol_name, COREMOD_SYMBOL_MAX);
    if (*length == 0 || *length == COREMOD_SYMBOL_MAX) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "module_get_symbol: symbol_name is %s",
                   *length == 0 ? "empty" : "longer than 1023 bytes");
        return false;
    }
    return true;
}

/* The uncached path: dlsym without the table lock, then cache the answer. Caller has pinned the
 * record and released the table lock; this unpins it. When the system's memory pool cannot hold
 * the cache entry, the answer is given uncached (SPEC 2.6): a lookup never fails for lack of
 * pool, and the next lookup of the name simply asks dlsym again. */
static void* look_up_and_cache(module_record_t* record, const symbol_key_t* key)
{
    void* address = dlsym(record->library, key->name);
    (void)dlerror(); /* a miss leaves a message in this thread's dlerror state; drop it */
    void* cached = NULL;
    if (symbol_cache_insert(&record->symbols, &record->system->pool, key, address, &cached)) {
        address = cached; /* another thread may have cached the name first: the same answer */
    }
    char module_name[sizeof(record->metadata.name)];
    memcpy(module_name, record->metadata.name, sizeof(module_name));
    atomic_fetch_sub_explicit(&record->pins, 1, memory_order_release);
    /* From here on the record may be freed by a concurrent unload: use the copies only. */
    if (address == NULL) {
        error_fail(MODULE_ERROR_SYMBOL_NOT_FOUND,
                   "module_get_symbol: symbol '%s' not found in "
                   "module '%s'",
                   key->name, module_name);
        return NULL;
    }
    error_succeed();
    return address;
}

COREMOD_PUBLIC void* module_get_symbol(module_handle_t handle, const char* symbol_name)
{
    if (handle == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "module_get_symbol: handle is NULL");
        return NULL;
    }
    size_t length = 0;
    if (!check_symbol_name(symbol_name, &length)) {
        return NULL;
    }
    symbol_key_t key = symbol_key_make(symbol_name, length);

    handle_table_read_lock();
    module_record_t* record = handle_table_lookup_locked((uintptr_t)handle, HANDLE_KIND_MODULE);
    if (record == NULL) {
        handle_table_read_unlock();
        fail_bad_handle("module_get_symbol", handle);
        return NULL;
    }
    void* address = NULL;
    if (symbol_cache_find(&record->symbols, &key, &address)) {
        char module_name[sizeof(record->metadata.name)];
        if (address == NULL) {
            memcpy(module_name, record->metadata.name, sizeof(module_name));
        }
        handle_table_read_unlock();
        if (address == NULL) {
            error_fail(MODULE_ERROR_SYMBOL_NOT_FOUND,
                       "module_get_symbol: symbol '%s' not found "
                       "in module '%s'",
                       symbol_name, module_name);
            return NULL;
        }
        error_succeed();
        return address;
    }
    atomic_fetch_add_explicit(&record->pins, 1, memory_order_relaxed);
    handle_table_read_unlock();
    return look_up_and_cache(record, &key);
}

COREMOD_PUBLIC bool module_get_info(module_handle_t handle, module_info_t* info)
{
    if (handle == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "module_get_info: handle is NULL");
        return false;
    }
    if (info == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "module_get_info: info is NULL");
        return false;
    }
    module_info_t result;
    memset(&result, 0, sizeof(result));
    handle_table_read_lock();
    const module_record_t* record =
        handle_table_lookup_locked((uintptr_t)handle, HANDLE_KIND_MODULE);
    if (record != NULL) {
        memcpy(result.name, record->metadata.name, sizeof(result.name));
        memcpy(result.version, record->metadata.version, sizeof(result.version));
        memcpy(result.description, record->metadata.description, sizeof(result.description));
        result.is_critical = record->metadata.is_critical;
        result.size_bytes = record->size_bytes;
        result.load_time_us = record->load_time_us;
        result.reference_count =
            atomic_load_explicit(&record->reference_count, memory_order_relaxed);
    }
    handle_table_read_unlock();
    if (record == NULL) {
        fail_bad_handle("module_get_info", handle);
        return false;
    }
    *info = result; /* only on success: *info is untouched otherwise (SPEC 6.2) */
    error_succeed();
    return true;
}
