/*
 * site_shim.c — the test-only core (site_shim.h): the real site table (debugger_site.c) with the
 * hits recorded into a fixed array instead of a context's queue, and handlers that route SIGTRAP
 * and SIGSEGV to the parts.
 */
#include "site_shim.h"

#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "debugger_page_watch.h"
#include "debugger_software.h"

static debug_event_t events[SHIM_EVENT_MAX];
static _Atomic size_t event_next;

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
