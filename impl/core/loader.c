/*
 * loader.c — module_load, module_load_with_options and module_unload (SPEC 3, 4).
 *
 * A load, under the system lock: resolve the path (3.1), open the file (3.4: missing,
 * permissions, not a regular file), apply options->memory_limit_kb (3.10), then either share the
 * module already open for that file (3.2, 3.3) or open a new one: limit (3.8), header validation
 * (3.4), bookkeeping reserved up front so nothing can fail after init has run (2.6), dlopen
 * (3.5), metadata (3.7), init (3.6), then the handle is published. Failures are described while
 * the lock is held and reported after it is released (errors.h).
 *
 * The file is validated through the descriptor opened here, then handed to dlopen by path: a file
 * replaced between the two is not validated again. Module directories must therefore not be
 * writable by anyone the process does not trust (the same holds for any dlopen by path). And
 * glibc recognises an already-loaded object by its path name before its identity, so a file
 * replaced in place while the old one is still open in the process maps the old one again.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "elf_validate.h"
#include "handle_table.h"
#include "module_file.h"
#include "module_system.h"
#include "monotonic_clock.h"
#include "path_resolve.h"

typedef struct {
    const char* operation; /* public function name, for messages */
    const char* path;      /* as the caller gave it */
    size_t path_length;
    bool prefer_performance_cores;
    uint32_t memory_limit_kb; /* 0: no limit */
    uint64_t start_ns;        /* when the public call began (SPEC 3.9) */
} load_request_t;

/* Loading a file that is already open in this system: one more reference, no module code. */
static uintptr_t share_open_module(module_record_t* record, coremod_failure_t* failure)
{
    if (record->state != RECORD_OPEN) {
        /* Only the module's own init can get here (the system lock is held by its load). */
        failure_set(failure, MODULE_ERROR_SYSTEM_ERROR,
                    "cannot load '%s' while its own "
                    "module_init is running (the module loads itself)",
                    record->path);
        return 0;
    }
    uint32_t count = atomic_load_explicit(&record->reference_count, memory_order_relaxed);
    if (count == UINT32_MAX) {
        failure_set(failure, MODULE_ERROR_RESOURCE_EXHAUSTED,
                    "cannot load '%s' again: its reference count is at its maximum", record->path);
        return 0;
    }
    atomic_store_explicit(&record->reference_count, count + 1u, memory_order_relaxed);
    return record->token;
}

/* Undoes what open_new_module did before its handle was published. */
static void abandon_record(module_record_t* record, uint32_t slot)
{
    coremod_system_t* system = record->system;
    module_index_remove(&system->index, record->device, record->inode);
    system->open_modules--;
    handle_table_unreserve(slot);
    module_record_free(record);
}

/* Reserves everything the new module needs so that nothing can fail once its init has run. */
static module_record_t* reserve_record(coremod_system_t* system, const char* path,
                                       const module_file_t* file, uint32_t* slot,
                                       coremod_failure_t* failure)
{
    module_record_t* record =
        module_record_create(system, path, file->device, file->inode, file->size);
    if (record == NULL || !module_index_reserve(&system->index, &system->pool)) {
        if (record != NULL) {
            module_record_free(record);
        }
        failure_set(failure, MODULE_ERROR_OUT_OF_MEMORY,
                    "cannot load '%s': the system's memory "
                    "pool (memory_pool_size_mb %u) cannot hold its bookkeeping",
                    path, system->config.memory_pool_size_mb);
        return NULL;
    }
    if (!handle_table_reserve(slot)) {
        module_record_free(record);
        failure_set(failure, MODULE_ERROR_OUT_OF_MEMORY,
                    "cannot load '%s': no memory for a new module handle", path);
        return NULL;
    }
    module_index_insert(&system->index, file->device, file->inode, record);
    system->open_modules++;
    return record;
}

static uintptr_t open_new_module(coremod_system_t* system, const load_request_t* request,
                                 const char* path, module_file_t* file, coremod_failure_t* failure)
{
    if (system->open_modules >= system->config.max_concurrent_modules) {
        failure_set(failure, MODULE_ERROR_RESOURCE_EXHAUSTED,
                    "cannot load '%s': the system "
                    "already has %u modules open (max_concurrent_modules)",
                    path, system->config.max_concurrent_modules);
        return 0;
    }
    char reason[512];
    module_error_t status = elf_validate(file->fd, file->size, reason, sizeof(reason));
    module_file_close(file); /* the loader opens the file itself */
    if (status != MODULE_SUCCESS) {
        failure_set(failure, status, "invalid module '%s': %s", path, reason);
        return 0;
    }
    uint32_t slot = 0;
    module_record_t* record = reserve_record(system, path, file, &slot, failure);
    if (record == NULL) {
        return 0;
    }
    record->prefer_performance_cores = request->prefer_performance_cores;

    (void)dlerror(); /* clear any stale message of this thread */
    record->library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (record->library == NULL) {
        const char* why = dlerror();
        failure_set(failure, MODULE_ERROR_INVALID_MODULE, "the platform loader refused '%s': %s",
                    path, why != NULL ? why : "no reason given");
        abandon_record(record, slot);
        return 0;
    }
    module_metadata_read(record->library, path, &record->metadata);
    module_entry_points_t entry = module_entry_points_read(record->library);
    record->cleanup = entry.cleanup;
    if (entry.init != NULL && !entry.init()) {
        failure_set(failure, MODULE_ERROR_INVALID_MODULE,
                    "module_init of '%s' returned false; the module was closed", path);
        (void)dlclose(record->library);
        abandon_record(record, slot);
        return 0;
    }
    if (system->destroyed) {
        /* The module's init destroyed its own system (same thread, recursive lock). */
        if (record->cleanup != NULL) {
            record->cleanup();
        }
        (void)dlclose(record->library);
        abandon_record(record, slot);
        failure_set(failure, MODULE_ERROR_INVALID_PARAMETER,
                    "%s: the system was destroyed while '%s' was initialising", request->operation,
                    path);
        return 0;
    }
    record->load_time_us = monotonic_clock_elapsed_us(request->start_ns, monotonic_clock_ns());
    atomic_store_explicit(&record->reference_count, 1, memory_order_relaxed);
    record->state = RECORD_OPEN;
    record->token = handle_table_publish(slot, HANDLE_KIND_MODULE, record);
    module_record_link(record);
    return record->token;
}

/* The body of a load; caller holds system->lock. Returns the token, or 0 with `failure` set. */
static uintptr_t load_locked(coremod_system_t* system, const load_request_t* request,
                             coremod_failure_t* failure)
{
    if (system->destroyed) {
        failure_set(failure, MODULE_ERROR_INVALID_PARAMETER,
                    "%s: the system was destroyed by a concurrent call", request->operation);
        return 0;
    }
    char path[COREMOD_PATH_MAX];
    if (!path_resolve(request->path, request->path_length, system->config.module_search_path, path,
                      failure)) {
        return 0;
    }
    module_file_t file;
    if (!module_file_open(path, &file, failure)) {
        return 0;
    }
    uintptr_t token = 0;
    if (request->memory_limit_kb != 0 && file.size > (uint64_t)request->memory_limit_kb * 1024u) {
        failure_set(failure, MODULE_ERROR_RESOURCE_EXHAUSTED,
                    "cannot load '%s': the file is "
                    "%llu bytes, over options->memory_limit_kb (%u KB)",
                    path, (unsigned long long)file.size, request->memory_limit_kb);
    } else {
        module_record_t* open = module_index_find(&system->index, file.device, file.inode);
        token = open != NULL ? share_open_module(open, failure)
                             : open_new_module(system, request, path, &file, failure);
    }
    module_file_close(&file);
    return token;
}

static module_handle_t load(module_system_t* system_token, const char* module_path,
                            const module_load_options_t* options, const char* operation)
{
    load_request_t request = {.operation = operation, .start_ns = monotonic_clock_ns()};
    if (system_token == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "%s: system is NULL", operation);
        return NULL;
    }
    if (module_path == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "%s: module_path is NULL", operation);
        return NULL;
    }
    request.path = module_path;
    request.path_length = strnlen(module_path, COREMOD_PATH_MAX); /* SPEC 1.4 */
    if (request.path_length == 0 || request.path_length == COREMOD_PATH_MAX) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "%s: module_path is %s", operation,
                   request.path_length == 0 ? "empty" : "longer than 4095 bytes");
        return NULL;
    }
    coremod_system_t* system = system_registry_pin(system_token);
    if (system == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER,
                   "%s: system %p is not a live module system "
                   "(never created, or destroyed)",
                   operation, (void*)system_token);
        return NULL;
    }
    if (options != NULL) {
        request.prefer_performance_cores = options->prefer_performance_cores;
        request.memory_limit_kb = options->memory_limit_kb;
        if (options->enable_hot_reload || options->security_policy != NULL) {
            system_release(system);
            /* security_policy is not printed: it is the caller's pointer, unvalidated. */
            error_fail(MODULE_ERROR_SYSTEM_ERROR,
                       "%s: %s is not supported in this release "
                       "(SPEC 3.10); '%s' was not loaded",
                       operation,
                       options->enable_hot_reload ? "options->enable_hot_reload"
                                                  : "options->security_policy",
                       module_path);
            return NULL;
        }
    }
    coremod_failure_t failure;
    pthread_mutex_lock(&system->lock);
    uintptr_t token = load_locked(system, &request, &failure);
    pthread_mutex_unlock(&system->lock);
    system_release(system);
    if (token == 0) {
        failure_report(&failure);
        return NULL;
    }
    error_succeed();
    return (module_handle_t)token;
}

COREMOD_PUBLIC module_handle_t module_load(module_system_t* system, const char* module_path)
{
    return load(system, module_path, NULL, "module_load");
}

COREMOD_PUBLIC module_handle_t module_load_with_options(module_system_t* system,
                                                        const char* module_path,
                                                        const module_load_options_t* options)
{
    return load(system, module_path, options, "module_load_with_options");
}

COREMOD_PUBLIC bool module_unload(module_handle_t handle)
{
    if (handle == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "module_unload: handle is NULL");
        return false;
    }
    uintptr_t token = (uintptr_t)handle;
    handle_table_read_lock();
    module_record_t* record = handle_table_lookup_locked(token, HANDLE_KIND_MODULE);
    coremod_system_t* system = record != NULL ? record->system : NULL;
    if (system != NULL) {
        system_retain(system); /* keeps the system allocated while we wait for its lock */
    }
    handle_table_read_unlock();
    if (system == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER,
                   "module_unload: handle %p is not a loaded "
                   "module (never loaded, already unloaded, or its system destroyed)",
                   (void*)handle);
        return false;
    }
    pthread_mutex_lock(&system->lock);
    /* Look again: another thread may have closed the module before we got the lock. Modules of
     * this system are closed only under this lock, so the answer now stays true until we unlock. */
    handle_table_read_lock();
    record = handle_table_lookup_locked(token, HANDLE_KIND_MODULE);
    handle_table_read_unlock();
    if (record != NULL) {
        uint32_t count = atomic_load_explicit(&record->reference_count, memory_order_relaxed) - 1u;
        atomic_store_explicit(&record->reference_count, count, memory_order_relaxed);
        if (count == 0) {
            module_record_close(record);
        }
    }
    pthread_mutex_unlock(&system->lock);
    system_release(system);
    if (record == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER,
                   "module_unload: handle %p was unloaded by a concurrent call", (void*)handle);
        return false;
    }
    error_succeed();
    return true;
}
