/*
 * debugger_hardware_linux.c — see debugger_hardware.h; Linux, x86-64 and AArch64 alike (perf is
 * the same interface on both).
 *
 * A site is one perf breakpoint event per thread that exists when it is set, each with
 * inherit + inherit_thread so that the threads those create get a copy, and sigtrap so that a
 * hit is a synchronous SIGTRAP (si_code TRAP_PERF) carrying sig_data, our cookie:
 *
 *     cookie = MAGIC << 48 | generation << 32 | site index << 16 | event serial
 *
 * Measured on the project's VMs (kernel 6.18): sigtrap is refused (EINVAL) unless remove_on_exec
 * is set, and inherit_thread unless inherit is; the 5th event on a thread fails with ENOSPC.
 *
 * A thread created while the events are being opened may get both an inherited event and one of
 * its own; its hits are then reported only through its own event (the handler looks the thread
 * up in the site's event list), so it is not counted twice. (Measured: two events on one thread
 * deliver one coalesced SIGTRAP, but that is the kernel's business, not a promise.)
 */
#include <dirent.h>
#include <errno.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "debugger_hardware.h"
#include "debugger_signals.h"
#include "debugger_state.h"

#ifndef TRAP_PERF
#define TRAP_PERF 6 /* uapi asm-generic/siginfo.h; glibc may not define it */
#endif

#define COOKIE_MAGIC 0xC0DEu
#define COOKIE_SELF_TEST_INDEX 0xFFFFu

#if defined(__x86_64__)
#define EXECUTE_LENGTH sizeof(long) /* x86: execute breakpoints take sizeof(long) */
#else
#define EXECUTE_LENGTH 4 /* AArch64: one A64 instruction */
#endif

#define MAX_WATCH_SIZE 8u

typedef struct {
    int fd;
    pid_t tid;
} hardware_event_t;

typedef struct {
    uint64_t cookie; /* without the serial */
    hardware_event_t* events;
    uint32_t count;
    _Atomic uint32_t published; /* count once armed, 0 once disarming: what handlers may read */
} hardware_site_state_t;

_Static_assert(sizeof(hardware_site_state_t) <= sizeof(((debugger_site_t*)0)->kind_state),
               "hardware_site_state_t must fit a site's kind_state");

static hardware_site_state_t* state_of(debugger_site_t* site)
{
    return (hardware_site_state_t*)(void*)site->kind_state;
}

static unsigned armed_sites; /* sites lock */
static uint16_t generation;  /* sites lock */
static _Atomic int self_test_traps;

static pid_t current_tid(void)
{
    return (pid_t)syscall(SYS_gettid);
}

/* si_perf_data: glibc's siginfo_t does not name it. The kernel places it in _sigfault right after
 * si_addr (x86-64 and AArch64 have no si_trapno): the union that follows _addr starts there. */
static uint64_t perf_data_of(const siginfo_t* info)
{
    uint64_t data;
    memcpy(&data, (const char*)&info->si_addr + sizeof(void*), sizeof(data));
    return data;
}

static int open_event(pid_t tid, unsigned bp_type, uintptr_t address, uint64_t length,
                      uint64_t cookie, bool inherit)
{
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.type = PERF_TYPE_BREAKPOINT;
    attr.size = sizeof(attr);
    attr.bp_type = bp_type;
    attr.bp_addr = address;
    attr.bp_len = length;
    attr.sample_period = 1;
    attr.sigtrap = 1;
    attr.sig_data = cookie;
    attr.remove_on_exec = 1;
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    attr.inherit = inherit;
    attr.inherit_thread = inherit;
    return (int)syscall(SYS_perf_event_open, &attr, tid, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

/* ---- the self-test ------------------------------------------------------------------------ */

static hardware_debug_support_t support;
static char why_not[256];
static pthread_once_t self_test_once = PTHREAD_ONCE_INIT;

__attribute__((noinline)) static int self_test_probe(int x)
{
    __asm__ volatile("" ::: "memory"); /* a real call with a real first instruction */
    return x + 1;
}
static int (*volatile self_test_probe_pointer)(int) = self_test_probe;
static _Alignas(8) volatile uint64_t self_test_words[16];

/* Whether the trap of the event just exercised arrived: it is synchronous (delivered before the
 * next instruction), so it is there at once; a few milliseconds cover a kernel that is late. */
static bool trap_arrived(int before)
{
    for (int i = 0; i < 10 && atomic_load(&self_test_traps) == before; i++) {
        nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
    }
    return atomic_load(&self_test_traps) == before + 1;
}

static uint64_t self_test_cookie(void)
{
    return (uint64_t)COOKIE_MAGIC << 48 | (uint64_t)COOKIE_SELF_TEST_INDEX << 16;
}

static void set_why_not(const char* what, int error)
{
    snprintf(why_not, sizeof(why_not), "%s: %s", what,
             error == ENOSYS || error == ENOENT || error == EOPNOTSUPP
                 ? (error == ENOSYS ? "perf_event_open is not implemented (ENOSYS)"
                                    : "the kernel has no breakpoint events")
                 : strerror(error));
    support.why_not = why_not;
}

static void self_test(void)
{
    support.max_watch_size = MAX_WATCH_SIZE;
    coremod_failure_t failure = {0};
    if (!debugger_signals_install(&failure)) {
        snprintf(why_not, sizeof(why_not), "%.200s", failure.message);
        support.why_not = why_not;
        return;
    }
    int before = atomic_load(&self_test_traps);
    int fd = open_event(0, HW_BREAKPOINT_X, (uintptr_t)self_test_probe, EXECUTE_LENGTH,
                        self_test_cookie(), false);
    if (fd < 0) {
        set_why_not("hardware breakpoints are not supported here", errno);
        return;
    }
    int result = self_test_probe_pointer(1);
    close(fd);
    support.breakpoints = result == 2 && trap_arrived(before);
    if (!support.breakpoints) {
        snprintf(why_not, sizeof(why_not),
                 "hardware breakpoints are not supported here: the kernel accepted a breakpoint "
                 "event but its trap never arrived (a hypervisor or emulator that does not "
                 "deliver debug exceptions)");
        support.why_not = why_not;
        /* An environment that swallows an execute trap does not run our code on the CPU as
         * written (valgrind runs a translation of it, and a write watch's trap then arrives in
         * its own code and kills the process): no watch is tried there either. */
        return;
    }

    before = atomic_load(&self_test_traps);
    fd = open_event(0, HW_BREAKPOINT_W, (uintptr_t)&self_test_words[0], 8, self_test_cookie(),
                    false);
    if (fd >= 0) {
        self_test_words[0] = 42;
        close(fd);
        support.watchpoints = trap_arrived(before);
    }

    before = atomic_load(&self_test_traps);
    fd = open_event(0, HW_BREAKPOINT_R, (uintptr_t)&self_test_words[1], 8, self_test_cookie(),
                    false);
    if (fd >= 0) {
        uint64_t value = self_test_words[1];
        (void)value;
        close(fd);
        support.read_watchpoints = trap_arrived(before);
    }

    /* The slots: as many watch events as this thread can hold at once. */
    if (support.breakpoints || support.watchpoints) {
        int fds[16];
        unsigned opened = 0;
        while (opened < 16) {
            fds[opened] = open_event(0, HW_BREAKPOINT_W, (uintptr_t)&self_test_words[opened], 8,
                                     self_test_cookie(), false);
            if (fds[opened] < 0) {
                break;
            }
            opened++;
        }
        for (unsigned i = 0; i < opened; i++) {
            close(fds[i]);
        }
        support.slots = opened;
    }
}

const hardware_debug_support_t* hardware_debug_support(void)
{
    pthread_once(&self_test_once, self_test);
    return &support;
}

/* ---- arming ------------------------------------------------------------------------------- */

static bool has_thread(const hardware_site_state_t* state, pid_t tid)
{
    for (uint32_t i = 0; i < state->count; i++) {
        if (state->events[i].tid == tid) {
            return true;
        }
    }
    return false;
}

static void close_events(hardware_site_state_t* state)
{
    for (uint32_t i = 0; i < state->count; i++) {
        close(state->events[i].fd);
    }
    free(state->events);
    state->events = NULL;
    state->count = 0;
}

static void describe_open_failure(coremod_failure_t* failure, const debugger_site_t* site,
                                  pid_t tid, int error)
{
    const char* what =
        site->kind == DEBUGGER_SITE_HARDWARE_BREAKPOINT ? "breakpoint" : "watchpoint";
    if (error == ENOSPC) {
        failure_set(failure, MODULE_ERROR_RESOURCE_EXHAUSTED,
                    "hardware %s at %#lx: no debug register left on thread %d (ENOSPC)", what,
                    (unsigned long)site->address, (int)tid);
    } else if (error == EINVAL || error == EOPNOTSUPP) {
        failure_set(failure, MODULE_ERROR_INVALID_PARAMETER,
                    "hardware %s at %#lx (%zu bytes): the debug registers cannot take it (%s)",
                    what, (unsigned long)site->address, site->size, strerror(error));
    } else if (error == ENOSYS || error == ENOENT) {
        failure_set(failure, MODULE_ERROR_SYSTEM_ERROR,
                    "hardware %s: not supported here (perf_event_open: %s)", what, strerror(error));
    } else {
        failure_set(failure, MODULE_ERROR_SYSTEM_ERROR,
                    "hardware %s at %#lx: perf_event_open for thread %d failed: %s", what,
                    (unsigned long)site->address, (int)tid, strerror(error));
    }
}

/* One pass over /proc/self/task: an event for every thread not covered yet. Returns the number
 * opened, or -1 with `failure` set. */
static int cover_threads(debugger_site_t* site, unsigned bp_type, uint64_t length,
                         coremod_failure_t* failure)
{
    hardware_site_state_t* state = state_of(site);
    DIR* dir = opendir("/proc/self/task");
    if (dir == NULL) {
        failure_set(failure, MODULE_ERROR_SYSTEM_ERROR,
                    "hardware site: cannot list the process's threads: %s", strerror(errno));
        return -1;
    }
    int opened = 0;
    struct dirent* entry;
    while ((entry = readdir(dir)) != NULL) {
        char* end = NULL;
        long tid = strtol(entry->d_name, &end, 10);
        if (end == entry->d_name || *end != '\0' || tid <= 0 || has_thread(state, (pid_t)tid)) {
            continue;
        }
        if (state->count >= 0xFFFFu) {
            failure_set(failure, MODULE_ERROR_RESOURCE_EXHAUSTED,
                        "hardware site: more than 65535 threads to cover");
            closedir(dir);
            return -1;
        }
        int fd = open_event((pid_t)tid, bp_type, site->address, length,
                            state->cookie | state->count, true);
        if (fd < 0) {
            if (errno == ESRCH) {
                continue; /* the thread ended meanwhile */
            }
            describe_open_failure(failure, site, (pid_t)tid, errno);
            closedir(dir);
            return -1;
        }
        hardware_event_t* grown = realloc(state->events, (state->count + 1) * sizeof(*grown));
        if (grown == NULL) {
            close(fd);
            failure_set(failure, MODULE_ERROR_OUT_OF_MEMORY, "hardware site: no memory");
            closedir(dir);
            return -1;
        }
        state->events = grown;
        state->events[state->count++] = (hardware_event_t){.fd = fd, .tid = (pid_t)tid};
        opened++;
    }
    closedir(dir);
    return opened;
}

static unsigned bp_type_of(const debugger_site_t* site)
{
    if (site->kind == DEBUGGER_SITE_HARDWARE_BREAKPOINT) {
        return HW_BREAKPOINT_X;
    }
    switch (site->watch_type) {
    case DEBUG_WATCHPOINT_READ: return HW_BREAKPOINT_R;
    case DEBUG_WATCHPOINT_WRITE: return HW_BREAKPOINT_W;
    default: return HW_BREAKPOINT_RW;
    }
}

bool hardware_site_arm(debugger_site_t* site, coremod_failure_t* failure)
{
    const hardware_debug_support_t* have = hardware_debug_support();
    bool breakpoint = site->kind == DEBUGGER_SITE_HARDWARE_BREAKPOINT;
    if (breakpoint ? !have->breakpoints : !have->watchpoints) {
        failure_set(failure, MODULE_ERROR_SYSTEM_ERROR, "hardware %s: not supported here (%s)",
                    breakpoint ? "breakpoints" : "watchpoints",
                    have->why_not != NULL ? have->why_not : "the self-test's trap never arrived");
        return false;
    }
    if (armed_sites >= have->slots) {
        failure_set(failure, MODULE_ERROR_RESOURCE_EXHAUSTED,
                    "hardware %s at %#lx: all %u debug registers are in use",
                    breakpoint ? "breakpoint" : "watchpoint", (unsigned long)site->address,
                    have->slots);
        return false;
    }
    hardware_site_state_t* state = state_of(site);
    generation++;
    state->cookie = (uint64_t)COOKIE_MAGIC << 48 | (uint64_t)generation << 32 |
                    (uint64_t)(site - debugger_sites) << 16;
    state->events = NULL;
    state->count = 0;
    atomic_store(&state->published, 0);
    uint64_t length = breakpoint ? EXECUTE_LENGTH : site->size;
    unsigned bp_type = bp_type_of(site);
    /* Threads may be starting while we list them: list again until a pass finds no new one. */
    for (int pass = 0;; pass++) {
        int opened = cover_threads(site, bp_type, length, failure);
        if (opened < 0) {
            close_events(state);
            return false;
        }
        if (opened == 0 && pass > 0) {
            break;
        }
        if (pass == 100) {
            break; /* threads keep being created; those are covered by inheritance */
        }
    }
    atomic_store(&state->published, state->count);
    armed_sites++;
    return true;
}

void hardware_site_disarm(debugger_site_t* site)
{
    hardware_site_state_t* state = state_of(site);
    if (state->events == NULL) {
        return;
    }
    for (uint32_t i = 0; i < state->count; i++) {
        close(state->events[i].fd);
    }
    /* Handlers stop reading the list before it is freed: unpublish, then a grace period. */
    atomic_store(&state->published, 0);
    debugger_sites_synchronize();
    free(state->events);
    state->events = NULL;
    state->count = 0;
    armed_sites--;
}

bool hardware_watch_fits(uintptr_t address, size_t size, debug_watchpoint_type_t type)
{
    const hardware_debug_support_t* have = hardware_debug_support();
    if (!have->watchpoints || armed_sites >= have->slots) {
        return false;
    }
    if (type == DEBUG_WATCHPOINT_READ && !have->read_watchpoints) {
        return false;
    }
    return (size == 1 || size == 2 || size == 4 || size == 8) && size <= have->max_watch_size &&
           address % size == 0;
}

/* ---- the handler -------------------------------------------------------------------------- */

bool hardware_site_on_trap(siginfo_t* info, void* ucontext)
{
    if (info->si_code != TRAP_PERF) {
        return false;
    }
    uint64_t cookie = perf_data_of(info);
    if (cookie >> 48 != COOKIE_MAGIC) {
        return false; /* someone else's perf event */
    }
    unsigned index = (unsigned)(cookie >> 16) & 0xFFFFu;
    if (index == COOKIE_SELF_TEST_INDEX) {
        atomic_fetch_add(&self_test_traps, 1);
        return true;
    }
    /* Ours from here on: a trap of a site cleared or reused meanwhile is swallowed. */
    if (index >= DEBUGGER_MAX_SITES) {
        return true;
    }
    debugger_site_t* site = &debugger_sites[index];
    if (atomic_load_explicit(&site->state, memory_order_acquire) != DEBUGGER_SITE_LIVE ||
        (site->kind != DEBUGGER_SITE_HARDWARE_BREAKPOINT &&
         site->kind != DEBUGGER_SITE_HARDWARE_WATCHPOINT)) {
        return true;
    }
    hardware_site_state_t* state = state_of(site);
    uint32_t published = atomic_load(&state->published);
    if (published == 0 || (state->cookie ^ cookie) >> 16 != 0) {
        return true;
    }
    uint32_t serial = (uint32_t)(cookie & 0xFFFFu);
    pid_t tid = current_tid();
    if (serial < published && state->events[serial].tid != tid) {
        for (uint32_t i = 0; i < published; i++) {
            if (state->events[i].tid == tid) {
                return true; /* inherited copy; this thread's own event reports the hit */
            }
        }
    }
    debug_event_t event;
    memset(&event, 0, sizeof(event));
    event.pc = debugger_ucontext_pc(ucontext);
    if (site->kind == DEBUGGER_SITE_HARDWARE_BREAKPOINT) {
        event.type = DEBUG_EVENT_BREAKPOINT;
        event.access_address = site->address;
        event.access = DEBUG_WATCHPOINT_ACCESS;
    } else {
        event.type = DEBUG_EVENT_WATCHPOINT;
        /* The kernel reports the register's address, not the byte touched. */
        event.access_address = site->address;
        event.access = site->watch_type == DEBUG_WATCHPOINT_ACCESS ? DEBUG_WATCHPOINT_ACCESS
                                                                   : site->watch_type;
    }
    debugger_site_record_hit(site, &event, ucontext);
    return true;
}
