/* debugger_site.c — see debugger_site.h. */
#include "debugger_site.h"

#include <pthread.h>
#include <time.h>

debugger_site_t debugger_sites[DEBUGGER_MAX_SITES];

static pthread_mutex_t sites_lock = PTHREAD_MUTEX_INITIALIZER;

/* Grace periods: handlers count themselves in one of two counters, chosen by the parity of the
 * epoch; synchronize flips the epoch and waits for the old parity's counter to drain. A handler
 * that read the old epoch but incremented after the flip sees the epoch changed and moves to the
 * new counter, so whatever it reads afterwards was retired before it looked. Epoch changes only
 * in synchronize, which drains the old parity before returning, so at a flip every handler still
 * counted entered under the current epoch: one flip is a full grace period, and handlers that
 * keep arriving (counted under the new parity) never delay it. No thread-local storage: a
 * handler's first touch of a shared library's TLS may allocate. */
static _Atomic uint64_t handler_epoch;
static _Atomic unsigned handlers_in_flight[2];
static pthread_mutex_t synchronize_lock = PTHREAD_MUTEX_INITIALIZER;

unsigned debugger_handler_enter(void)
{
    for (;;) {
        uint64_t epoch = atomic_load(&handler_epoch);
        unsigned parity = (unsigned)(epoch & 1u);
        atomic_fetch_add(&handlers_in_flight[parity], 1);
        if (atomic_load(&handler_epoch) == epoch) {
            return parity;
        }
        atomic_fetch_sub(&handlers_in_flight[parity], 1);
    }
}

void debugger_handler_exit(unsigned token)
{
    atomic_fetch_sub(&handlers_in_flight[token & 1u], 1);
}

void debugger_sites_synchronize(void)
{
    pthread_mutex_lock(&synchronize_lock);
    uint64_t old = atomic_fetch_add(&handler_epoch, 1);
    while (atomic_load(&handlers_in_flight[old & 1u]) != 0) {
        nanosleep(&(struct timespec){.tv_nsec = 20000}, NULL);
    }
    pthread_mutex_unlock(&synchronize_lock);
}

void debugger_sites_lock(void)
{
    pthread_mutex_lock(&sites_lock);
}

void debugger_sites_unlock(void)
{
    pthread_mutex_unlock(&sites_lock);
}

static debugger_site_t* find_state(int wanted)
{
    for (unsigned i = 0; i < DEBUGGER_MAX_SITES; i++) {
        if (atomic_load(&debugger_sites[i].state) == wanted) {
            return &debugger_sites[i];
        }
    }
    return NULL;
}

debugger_site_t* debugger_site_reserve(struct debugger_context* owner, debugger_site_kind_t kind,
                                       uintptr_t address, size_t size,
                                       debug_watchpoint_type_t watch_type)
{
    debugger_site_t* site = find_state(DEBUGGER_SITE_FREE);
    if (site == NULL && find_state(DEBUGGER_SITE_RETIRED) != NULL) {
        /* Recycle the retired sites, once no handler can still be reading them. */
        debugger_sites_synchronize();
        for (unsigned i = 0; i < DEBUGGER_MAX_SITES; i++) {
            int retired = DEBUGGER_SITE_RETIRED;
            atomic_compare_exchange_strong(&debugger_sites[i].state, &retired, DEBUGGER_SITE_FREE);
        }
        site = find_state(DEBUGGER_SITE_FREE);
    }
    if (site == NULL) {
        return NULL;
    }
    /* Handlers ignore FREE and ARMING sites, so the fields can be written plainly. */
    atomic_store(&site->state, DEBUGGER_SITE_ARMING);
    site->kind = kind;
    site->owner = owner;
    site->address = address;
    site->size = size;
    site->watch_type = watch_type;
    atomic_store(&site->hits, 0);
    return site;
}

void debugger_site_publish(debugger_site_t* site)
{
    atomic_store_explicit(&site->state, DEBUGGER_SITE_LIVE, memory_order_release);
}

void debugger_site_retire(debugger_site_t* site)
{
    atomic_store_explicit(&site->state, DEBUGGER_SITE_RETIRED, memory_order_release);
}

static bool is_breakpoint(debugger_site_kind_t kind)
{
    return kind == DEBUGGER_SITE_SOFTWARE_BREAKPOINT || kind == DEBUGGER_SITE_HARDWARE_BREAKPOINT;
}

static bool is_armed_or_arming(const debugger_site_t* site)
{
    int state = atomic_load(&site->state);
    return state == DEBUGGER_SITE_LIVE || state == DEBUGGER_SITE_ARMING;
}

debugger_site_t* debugger_site_find_breakpoint_locked(uintptr_t address)
{
    for (unsigned i = 0; i < DEBUGGER_MAX_SITES; i++) {
        debugger_site_t* site = &debugger_sites[i];
        if (is_armed_or_arming(site) && is_breakpoint(site->kind) && site->address == address) {
            return site;
        }
    }
    return NULL;
}

debugger_site_t* debugger_site_find_watch_overlap_locked(uintptr_t address, size_t size)
{
    for (unsigned i = 0; i < DEBUGGER_MAX_SITES; i++) {
        debugger_site_t* site = &debugger_sites[i];
        if (is_armed_or_arming(site) && !is_breakpoint(site->kind) &&
            address < site->address + site->size && site->address < address + size) {
            return site;
        }
    }
    return NULL;
}

debugger_site_t* debugger_site_find_live(debugger_site_kind_t kind, uintptr_t address)
{
    for (unsigned i = 0; i < DEBUGGER_MAX_SITES; i++) {
        debugger_site_t* site = &debugger_sites[i];
        if (atomic_load_explicit(&site->state, memory_order_acquire) != DEBUGGER_SITE_LIVE ||
            site->kind != kind) {
            continue;
        }
        if (is_breakpoint(kind) ? site->address == address : address - site->address < site->size) {
            return site;
        }
    }
    return NULL;
}
