/*
 * system_registry.c — the live systems (SPEC 1.2, 1.3, 2.4).
 *
 * module_system_init hands out a token from the handle table, not the system's address: a
 * module_system_t* is validated by looking it up in the table, never by dereferencing it, and a
 * destroyed system's value never names a later system even if malloc reuses the memory.
 */
#include "handle_table.h"
#include "module_system.h"

bool system_registry_add(coremod_system_t* system)
{
    uint32_t slot = 0;
    if (!handle_table_reserve(&slot)) {
        return false;
    }
    system->token = handle_table_publish(slot, HANDLE_KIND_SYSTEM, system);
    return true;
}

coremod_system_t* system_registry_pin(const module_system_t* token)
{
    handle_table_read_lock();
    coremod_system_t* system = handle_table_lookup_locked((uintptr_t)token, HANDLE_KIND_SYSTEM);
    if (system != NULL) {
        /* Safe: destroy removes the token (write lock) before it drops the registry's
         * reference, so a system found here still holds that reference. */
        system_retain(system);
    }
    handle_table_read_unlock();
    return system;
}

bool system_registry_remove(coremod_system_t* system)
{
    return handle_table_remove(system->token, HANDLE_KIND_SYSTEM);
}

void system_retain(coremod_system_t* system)
{
    atomic_fetch_add_explicit(&system->refs, 1, memory_order_relaxed);
}
