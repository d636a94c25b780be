/* optimization_context.c — see optimization_context.h. */
#include "optimization_context.h"

static const char* creator_of(handle_kind_t kind)
{
    switch (kind) {
    case HANDLE_KIND_JIT_CONTEXT: return "jit_optimization_create";
    case HANDLE_KIND_CACHE_CONTEXT: return "cache_optimization_create";
    case HANDLE_KIND_NUMA_CONTEXT: return "numa_optimization_create";
    case HANDLE_KIND_DEBUGGER: return "module_debugger_create";
    default: return "its create function";
    }
}

static void fail_bad_context(const char* operation, const void* ctx, handle_kind_t kind)
{
    if (ctx == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "%s: ctx is NULL", operation);
        return;
    }
    error_fail(MODULE_ERROR_INVALID_PARAMETER,
               "%s: ctx %p is not a live context made by %s "
               "(never created, already destroyed, or another API's context)",
               operation, ctx, creator_of(kind));
}

bool optimization_topology_acquire(const char* operation, const platform_topology_t** out)
{
    platform_status_t status = platform_topology_acquire(out);
    if (status == PLATFORM_OK) {
        return true;
    }
    /* The environment, not an argument, named the source: a bad recording is the system's
     * problem as far as the caller's arguments go (SPEC 13.2). */
    error_fail(status == PLATFORM_ERR_NO_MEMORY ? MODULE_ERROR_OUT_OF_MEMORY
                                                : MODULE_ERROR_SYSTEM_ERROR,
               "%s: machine detection failed (%s): %s", operation, platform_status_name(status),
               platform_last_error());
    return false;
}

uintptr_t optimization_context_publish(const char* operation, handle_kind_t kind, void* object)
{
    uint32_t slot = 0;
    if (!handle_table_reserve(&slot)) {
        error_fail(MODULE_ERROR_RESOURCE_EXHAUSTED,
                   "%s: no context slot left (out of memory or "
                   "every handle value in use)",
                   operation);
        return 0;
    }
    return handle_table_publish(slot, kind, object);
}

void* optimization_context_enter(const char* operation, const void* ctx, handle_kind_t kind)
{
    if (ctx != NULL) {
        handle_table_read_lock();
        void* object = handle_table_lookup_locked((uintptr_t)ctx, kind);
        if (object != NULL) {
            return object;
        }
        handle_table_read_unlock();
    }
    fail_bad_context(operation, ctx, kind);
    return NULL;
}

void optimization_context_leave(void)
{
    handle_table_read_unlock();
}

void* optimization_context_retire(const char* operation, const void* ctx, handle_kind_t kind)
{
    void* object = NULL;
    if (ctx != NULL) {
        handle_table_read_lock();
        object = handle_table_lookup_locked((uintptr_t)ctx, kind);
        handle_table_read_unlock();
    }
    /* Only the caller whose removal succeeds owns the object: the token was still live, so the
     * object looked up is the one it names, and no reader holds it any more. */
    if (object == NULL || !handle_table_remove((uintptr_t)ctx, kind)) {
        fail_bad_context(operation, ctx, kind);
        return NULL;
    }
    return object;
}
