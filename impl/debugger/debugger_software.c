/*
 * debugger_software.c — software breakpoints (debugger_software.h): the trap written with
 * code_memory_write (code stays non-writable), the displaced instruction prepared at set time
 * and resumed in the SIGTRAP handler by displaced_resume, with nothing allocated and no state per
 * hit, so threads hitting the same breakpoint at once each resume on their own.
 */
#include "debugger_software.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>

#include "debugger_code_memory.h"
#include "debugger_displaced.h"
#include "debugger_memory_map.h"

typedef struct {
    displaced_insn_t insn;
    int protection; /* of the code page, restored after every write */
    _Atomic bool prepared;
} software_state_t;

_Static_assert(sizeof(software_state_t) <= sizeof(((debugger_site_t*)0)->kind_state),
               "software breakpoint state must fit in a site");

static software_state_t* state_of(debugger_site_t* site)
{
    return (software_state_t*)(void*)site->kind_state;
}

bool software_breakpoint_arm(debugger_site_t* site, coremod_failure_t* failure)
{
    software_state_t* state = state_of(site);
    memset(state, 0, sizeof(*state));
    int protection;
    if (!memory_map_protection(site->address, &protection) || !(protection & PROT_EXEC)) {
        failure_set(failure, MODULE_ERROR_INVALID_PARAMETER,
                    "0x%lx is not in mapped executable memory", (unsigned long)site->address);
        return false;
    }
    state->protection = protection;
    if (!displaced_prepare(site->address, &state->insn, failure)) {
        return false;
    }
    /* Ready before the trap exists: a thread may hit it before the site is published. */
    atomic_store_explicit(&state->prepared, true, memory_order_release);
    uint8_t trap[4];
    size_t length = displaced_breakpoint_trap(trap);
    if (!code_memory_write(site->address, trap, length, protection)) {
        int saved = errno;
        atomic_store(&state->prepared, false);
        displaced_release(&state->insn);
        failure_set(failure, MODULE_ERROR_SYSTEM_ERROR, "cannot write the trap at 0x%lx: %s",
                    (unsigned long)site->address, strerror(saved));
        return false;
    }
    return true;
}

void software_breakpoint_disarm(debugger_site_t* site)
{
    software_state_t* state = state_of(site);
    uint8_t trap[4];
    size_t length = displaced_breakpoint_trap(trap);
    /* The original bytes under the trap; the trampoline stays valid for threads still in it. */
    code_memory_write(site->address, state->insn.original, length, state->protection);
    displaced_release(&state->insn);
}

/* The self-test's probe: a function the test patches, and the traps seen at it. */
static _Atomic(void*) probe_address;
static _Atomic unsigned probe_traps;

/* A site of ours at `address` in any state a handler may meet: LIVE (report), ARMING (trap
 * written, not yet published: resume silently), RETIRED (cleared: run the restored code). */
static debugger_site_t* site_at(uintptr_t address, int* state)
{
    debugger_site_t* live = debugger_site_find_live(DEBUGGER_SITE_SOFTWARE_BREAKPOINT, address);
    if (live != NULL) {
        *state = DEBUGGER_SITE_LIVE;
        return live;
    }
    for (size_t i = 0; i < DEBUGGER_MAX_SITES; i++) {
        debugger_site_t* site = &debugger_sites[i];
        int now = atomic_load_explicit(&site->state, memory_order_acquire);
        if ((now == DEBUGGER_SITE_ARMING || now == DEBUGGER_SITE_RETIRED) &&
            site->kind == DEBUGGER_SITE_SOFTWARE_BREAKPOINT && site->address == address) {
            *state = now;
            return site;
        }
    }
    return NULL;
}

bool software_breakpoint_on_trap(siginfo_t* info, void* ucontext)
{
    (void)info;
    uintptr_t address = displaced_trap_address(ucontext);
    int state;
    debugger_site_t* site = site_at(address, &state);
    if (site == NULL) {
        return false;
    }
    software_state_t* software = state_of(site);
    if (address == (uintptr_t)probe_address) {
        atomic_fetch_add(&probe_traps, 1);
    }
    if (state == DEBUGGER_SITE_RETIRED || !atomic_load(&software->prepared)) {
        if (displaced_is_breakpoint_trap(address)) {
            /* The trap is still there (clear in progress): the copy is still valid. */
            displaced_resume(&software->insn, ucontext);
        } else {
            /* Restored: run the original instruction where it is. */
            displaced_insn_t at = {.kind = DISPLACED_JUMP, .target = address};
            displaced_resume(&at, ucontext);
        }
        return true;
    }
    if (state == DEBUGGER_SITE_LIVE) {
        /* A stop at a breakpoint has its pc at the breakpoint (SPEC 14.11), while x86-64 leaves
         * rip after the int3: move it back before the registers are captured. */
        displaced_insn_t at_breakpoint = {.kind = DISPLACED_JUMP, .target = address};
        displaced_resume(&at_breakpoint, ucontext);
        debug_event_t event = {
            .type = DEBUG_EVENT_BREAKPOINT,
            .pc = address,
            .access_address = address,
            .access = DEBUG_WATCHPOINT_ACCESS,
        };
        debugger_site_record_hit(site, &event, ucontext);
    }
    displaced_resume(&software->insn, ucontext);
    return true;
}

__attribute__((noinline)) static int software_probe(int x)
{
    /* Something the compiler cannot fold, so the call really runs the patched code. */
    __asm__ volatile("" : "+r"(x));
    return x * 3 + 1;
}

static bool software_available;
static pthread_once_t software_once = PTHREAD_ONCE_INIT;

/* Patches the probe through a site that stays ARMING (handlers resume it without reporting),
 * calls it, and checks the trap came and the result is right. */
static void software_self_test(void)
{
    int (*volatile call)(int) = software_probe;
    uintptr_t address = (uintptr_t)call;
    coremod_failure_t failure = {0};
    debugger_sites_lock();
    debugger_site_t* site =
        debugger_site_reserve(NULL, DEBUGGER_SITE_SOFTWARE_BREAKPOINT, address, 0, 0);
    if (site == NULL) {
        debugger_sites_unlock();
        return;
    }
    atomic_store(&probe_address, (void*)address);
    atomic_store(&probe_traps, 0);
    if (software_breakpoint_arm(site, &failure)) {
        int result = call(13);
        software_available = result == 40 && atomic_load(&probe_traps) == 1;
        software_breakpoint_disarm(site);
    }
    atomic_store(&probe_address, NULL);
    debugger_site_retire(site);
    debugger_sites_unlock();
}

bool software_breakpoints_available(void)
{
    pthread_once(&software_once, software_self_test);
    return software_available;
}
