/*
 * site_shim.c — the test-only core (site_shim.h): the functions of debugger_site.h the parts use,
 * events kept in a fixed array, and handlers that route SIGTRAP and SIGSEGV to the parts.
 */
#include "site_shim.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "debugger_page_watch.h"
#include "debugger_software.h"

debugger_site_t debugger_sites[DEBUGGER_MAX_SITES];
static pthread_mutex_t sites_mutex = PTHREAD_MUTEX_INITIALIZER;
static debug_event_t events[SHIM_EVENT_MAX];
static _Atomic size_t event_next;

void debugger_sites_lock(void)
{
    pthread_mutex_lock(&sites_mutex);
}

void debugger_sites_unlock(void)
{
    pthread_mutex_unlock(&sites_mutex);
}

debugger_site_t* debugger_site_reserve(struct debugger_context* owner, debugger_site_kind_t kind,
                                       uintptr_t address, size_t size,
                                       debug_watchpoint_type_t watch_type)
{
    for (size_t i = 0; i < DEBUGGER_MAX_SITES; i++) {
        debugger_site_t* site = &debugger_sites[i];
        if (atomic_load(&site->state) == DEBUGGER_SITE_FREE) {
            site->kind = kind;
            site->owner = owner;
            site->address = address;
            site->size = size;
            site->watch_type = watch_type;
            atomic_store(&site->hits, 0);
            atomic_store(&site->state, DEBUGGER_SITE_ARMING);
            return site;
        }
    }
    return NULL;
}

void debugger_site_publish(debugger_site_t* site)
{
    atomic_store_explicit(&site->state, DEBUGGER_SITE_LIVE, memory_order_release);
}

/* The shim goes straight to FREE after a grace period the tests respect (no thread is inside a
 * handler for the site when they clear it). */
void debugger_site_retire(debugger_site_t* site)
{
    atomic_store(&site->state, DEBUGGER_SITE_RETIRED);
    atomic_store(&site->state, DEBUGGER_SITE_FREE);
}

debugger_site_t* debugger_site_find_breakpoint_locked(uintptr_t address)
{
    for (size_t i = 0; i < DEBUGGER_MAX_SITES; i++) {
        int state = atomic_load(&debugger_sites[i].state);
        if ((state == DEBUGGER_SITE_LIVE || state == DEBUGGER_SITE_ARMING) &&
            debugger_sites[i].size == 0 && debugger_sites[i].address == address) {
            return &debugger_sites[i];
        }
    }
    return NULL;
}

debugger_site_t* debugger_site_find_watch_overlap_locked(uintptr_t address, size_t size)
{
    for (size_t i = 0; i < DEBUGGER_MAX_SITES; i++) {
        debugger_site_t* site = &debugger_sites[i];
        int state = atomic_load(&site->state);
        if ((state == DEBUGGER_SITE_LIVE || state == DEBUGGER_SITE_ARMING) && site->size > 0 &&
            site->address < address + size && address < site->address + site->size) {
            return site;
        }
    }
    return NULL;
}

debugger_site_t* debugger_site_find_live(debugger_site_kind_t kind, uintptr_t address)
{
    for (size_t i = 0; i < DEBUGGER_MAX_SITES; i++) {
        debugger_site_t* site = &debugger_sites[i];
        if (atomic_load_explicit(&site->state, memory_order_acquire) != DEBUGGER_SITE_LIVE ||
            site->kind != kind) {
            continue;
        }
        bool match = site->size == 0
                         ? site->address == address
                         : address >= site->address && address - site->address < site->size;
        if (match) {
            return site;
        }
    }
    return NULL;
}

void debugger_site_record_hit(debugger_site_t* site, const debug_event_t* event,
                              const void* ucontext)
{
    (void)ucontext;
    atomic_fetch_add(&site->hits, 1);
    size_t index = atomic_fetch_add(&event_next, 1);
    if (index < SHIM_EVENT_MAX) {
        events[index] = *event;
        events[index].address = site->address;
        events[index].thread_id = (uint64_t)syscall(SYS_gettid);
        events[index].sequence = index + 1;
    }
}

size_t shim_event_count(void)
{
    size_t count = atomic_load(&event_next);
    return count < SHIM_EVENT_MAX ? count : SHIM_EVENT_MAX;
}

const debug_event_t* shim_event(size_t index)
{
    return &events[index];
}

void shim_events_reset(void)
{
    atomic_store(&event_next, 0);
}

static void on_trap(int signal_number, siginfo_t* info, void* ucontext)
{
    if (software_breakpoint_on_trap(info, ucontext) || page_watch_on_trap(info, ucontext)) {
        return;
    }
    static const char message[] = "site_shim: a SIGTRAP that is not ours\n";
    (void)!write(2, message, sizeof(message) - 1);
    signal(signal_number, SIG_DFL);
}

static void on_fault(int signal_number, siginfo_t* info, void* ucontext)
{
    if (page_watch_on_fault(info, ucontext)) {
        return;
    }
    signal(signal_number, SIG_DFL); /* the fault happens again and kills the process */
}

void shim_install_handlers(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_flags = SA_SIGINFO | SA_RESTART | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    action.sa_sigaction = on_trap;
    sigaction(SIGTRAP, &action, NULL);
    action.sa_sigaction = on_fault;
    sigaction(SIGSEGV, &action, NULL);
}

debugger_site_t* shim_set(debugger_site_kind_t kind, uintptr_t address, size_t size,
                          debug_watchpoint_type_t type, coremod_failure_t* failure)
{
    debugger_sites_lock();
    debugger_site_t* site = debugger_site_reserve(NULL, kind, address, size, type);
    bool armed = site != NULL &&
                 (kind == DEBUGGER_SITE_SOFTWARE_BREAKPOINT ? software_breakpoint_arm(site, failure)
                                                            : page_watch_arm(site, failure));
    if (armed) {
        debugger_site_publish(site);
    } else if (site != NULL) {
        debugger_site_retire(site);
        site = NULL;
    }
    debugger_sites_unlock();
    return site;
}

void shim_clear(debugger_site_t* site)
{
    debugger_sites_lock();
    if (site->kind == DEBUGGER_SITE_SOFTWARE_BREAKPOINT) {
        software_breakpoint_disarm(site);
    } else {
        page_watch_disarm(site);
    }
    debugger_site_retire(site);
    debugger_sites_unlock();
}
