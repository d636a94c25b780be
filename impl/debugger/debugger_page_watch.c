/*
 * debugger_page_watch.c — watchpoints by page protection (debugger_page_watch.h).
 *
 * A table of watched pages keeps, per page, its original protection (from /proc/self/maps when
 * first watched), how many read/access and write watches cover it, and how many threads have it
 * open right now. A fault on a watched page is recorded when it falls in a watched range of the
 * right kind; then the page is opened (original protection), the faulting thread steps the
 * instruction (displaced_step_begin) in a step slot of its own (keyed by thread id), and the trap
 * after the step closes the page once no other thread has it open.
 *
 * The window, honestly: while a page is open for one thread's step, other threads' accesses to
 * that page are not seen (a few microseconds per watched access). A thread whose page was closed
 * under it by another thread's step end faults again inside its step: the page is already in its
 * slot, so it is reopened without a second report. An access that starts before the range and
 * runs into it is reported only if the machine's fault address lies inside the range.
 */
#include "debugger_page_watch.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "debugger_displaced.h"
#include "debugger_memory_map.h"

#define PAGE_WATCH_MAX_PAGES 1024u
#define PAGE_WATCH_STEP_SLOTS 64u
#define PAGE_WATCH_STEP_PAGES 4u /* pages one instruction may touch (x86 movs across pages) */

typedef struct {
    _Atomic uintptr_t page; /* 0: free */
    int original;           /* PROT_* before the first watch */
    _Atomic unsigned read_watches;
    _Atomic unsigned write_watches;
    _Atomic int open_count;
} watched_page_t;

typedef struct {
    _Atomic long tid; /* 0: free */
    size_t page_count;
    watched_page_t* pages[PAGE_WATCH_STEP_PAGES];
    /* Direction unknown (no ESR record): the page was opened for reading only; a second fault
     * on it during the step means a write, a step that ends means a read. */
    watched_page_t* probing;
    uintptr_t probe_address;
    uintptr_t probe_pc;
} step_slot_t;

static watched_page_t watched_pages[PAGE_WATCH_MAX_PAGES];
static step_slot_t step_slots[PAGE_WATCH_STEP_SLOTS];
static uintptr_t page_size;

/* The probe page of the self-test, and the faults seen on it. */
static _Atomic uintptr_t probe_page;
static _Atomic unsigned probe_faults;

static int closed_protection(watched_page_t* entry)
{
    if (atomic_load(&entry->read_watches) > 0) {
        return PROT_NONE;
    }
    if (atomic_load(&entry->write_watches) > 0) {
        return entry->original & ~PROT_WRITE;
    }
    return entry->original;
}

static watched_page_t* page_find(uintptr_t page)
{
    for (size_t i = 0; i < PAGE_WATCH_MAX_PAGES; i++) {
        if (atomic_load_explicit(&watched_pages[i].page, memory_order_acquire) == page) {
            return &watched_pages[i];
        }
    }
    return NULL;
}

/* Set time: the entry of `page`, created if needed (a free entry, or one no watch uses). */
static watched_page_t* page_find_or_add(uintptr_t page, coremod_failure_t* failure)
{
    watched_page_t* entry = page_find(page);
    if (entry != NULL) {
        return entry;
    }
    int protection;
    if (!memory_map_protection(page, &protection)) {
        failure_set(failure, MODULE_ERROR_INVALID_PARAMETER, "page 0x%lx is not mapped",
                    (unsigned long)page);
        return NULL;
    }
    for (size_t pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < PAGE_WATCH_MAX_PAGES; i++) {
            watched_page_t* candidate = &watched_pages[i];
            uintptr_t held = atomic_load(&candidate->page);
            bool unused = atomic_load(&candidate->read_watches) == 0 &&
                          atomic_load(&candidate->write_watches) == 0 &&
                          atomic_load(&candidate->open_count) == 0;
            /* First pass: never-used entries; second: entries of pages no longer watched. */
            if ((pass == 0 && held == 0) || (pass == 1 && unused)) {
                atomic_store(&candidate->page, 0);
                candidate->original = protection;
                atomic_store(&candidate->page, page);
                return candidate;
            }
        }
    }
    failure_set(failure, MODULE_ERROR_RESOURCE_EXHAUSTED, "page watches cover %u pages already",
                PAGE_WATCH_MAX_PAGES);
    return NULL;
}

static bool ranges_overlap(uintptr_t a, size_t a_size, uintptr_t b, size_t b_size)
{
    return a < b + b_size && b < a + a_size;
}

/* Memory whose protection the debugger itself cannot lose. */
static bool range_is_forbidden(uintptr_t first, uintptr_t end, const char** what)
{
    if (ranges_overlap(first, end - first, (uintptr_t)debugger_sites, sizeof(debugger_sites))) {
        *what = "the debugger's site table";
        return true;
    }
    if (ranges_overlap(first, end - first, (uintptr_t)watched_pages, sizeof(watched_pages)) ||
        ranges_overlap(first, end - first, (uintptr_t)step_slots, sizeof(step_slots))) {
        *what = "the page watches' own tables";
        return true;
    }
    pthread_attr_t attributes;
    if (pthread_getattr_np(pthread_self(), &attributes) == 0) {
        void* stack;
        size_t stack_size;
        bool on_stack = false;
        if (pthread_attr_getstack(&attributes, &stack, &stack_size) == 0) {
            on_stack = ranges_overlap(first, end - first, (uintptr_t)stack, stack_size);
        }
        pthread_attr_destroy(&attributes);
        if (on_stack) {
            *what = "the calling thread's stack";
            return true;
        }
    }
    return false;
}

bool page_watch_arm(debugger_site_t* site, coremod_failure_t* failure)
{
    if (page_size == 0) {
        page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
        if (!displaced_step_init(PAGE_WATCH_STEP_SLOTS)) {
            page_size = 0;
            failure_set(failure, MODULE_ERROR_SYSTEM_ERROR, "no memory for page-watch steps");
            return false;
        }
    }
    uintptr_t first = site->address & ~(page_size - 1);
    uintptr_t end = (site->address + site->size + page_size - 1) & ~(page_size - 1);
    const char* what;
    if (range_is_forbidden(first, end, &what)) {
        failure_set(failure, MODULE_ERROR_INVALID_PARAMETER,
                    "the watched range 0x%lx+%zu shares a page with %s",
                    (unsigned long)site->address, site->size, what);
        return false;
    }
    for (uintptr_t page = first; page < end; page += page_size) {
        watched_page_t* entry = page_find(page);
        int protection;
        if (entry != NULL) {
            protection = entry->original;
        } else if (!memory_map_protection(page, &protection)) {
            failure_set(failure, MODULE_ERROR_INVALID_PARAMETER,
                        "the watched range 0x%lx+%zu is not mapped at 0x%lx",
                        (unsigned long)site->address, site->size, (unsigned long)page);
            return false;
        }
        if (protection & PROT_EXEC) {
            failure_set(failure, MODULE_ERROR_INVALID_PARAMETER,
                        "the watched range 0x%lx+%zu is on executable page 0x%lx",
                        (unsigned long)site->address, site->size, (unsigned long)page);
            return false;
        }
    }
    bool reads = site->watch_type != DEBUG_WATCHPOINT_WRITE;
    for (uintptr_t page = first; page < end; page += page_size) {
        watched_page_t* entry = page_find_or_add(page, failure);
        if (entry == NULL) {
            /* Give back the pages already taken. */
            for (uintptr_t done = first; done < page; done += page_size) {
                watched_page_t* taken = page_find(done);
                atomic_fetch_sub(reads ? &taken->read_watches : &taken->write_watches, 1);
                mprotect((void*)done, page_size, closed_protection(taken));
            }
            return false;
        }
        atomic_fetch_add(reads ? &entry->read_watches : &entry->write_watches, 1);
        if (mprotect((void*)page, page_size, closed_protection(entry)) != 0) {
            int saved = errno;
            atomic_fetch_sub(reads ? &entry->read_watches : &entry->write_watches, 1);
            for (uintptr_t done = first; done < page; done += page_size) {
                watched_page_t* taken = page_find(done);
                atomic_fetch_sub(reads ? &taken->read_watches : &taken->write_watches, 1);
                mprotect((void*)done, page_size, closed_protection(taken));
            }
            failure_set(failure, MODULE_ERROR_SYSTEM_ERROR, "mprotect of 0x%lx failed: %s",
                        (unsigned long)page, strerror(saved));
            return false;
        }
    }
    return true;
}

void page_watch_disarm(debugger_site_t* site)
{
    uintptr_t first = site->address & ~(page_size - 1);
    uintptr_t end = (site->address + site->size + page_size - 1) & ~(page_size - 1);
    bool reads = site->watch_type != DEBUG_WATCHPOINT_WRITE;
    for (uintptr_t page = first; page < end; page += page_size) {
        watched_page_t* entry = page_find(page);
        if (entry == NULL) {
            continue;
        }
        atomic_fetch_sub(reads ? &entry->read_watches : &entry->write_watches, 1);
        mprotect((void*)page, page_size, closed_protection(entry));
    }
}

static long current_tid(void)
{
    return syscall(SYS_gettid);
}

static step_slot_t* step_slot_of(long tid)
{
    for (size_t i = 0; i < PAGE_WATCH_STEP_SLOTS; i++) {
        if (atomic_load_explicit(&step_slots[i].tid, memory_order_acquire) == tid) {
            return &step_slots[i];
        }
    }
    return NULL;
}

static step_slot_t* step_slot_take(long tid)
{
    for (;;) {
        for (size_t i = 0; i < PAGE_WATCH_STEP_SLOTS; i++) {
            long expected = 0;
            if (atomic_compare_exchange_strong(&step_slots[i].tid, &expected, tid)) {
                step_slots[i].page_count = 0;
                return &step_slots[i];
            }
        }
        sched_yield(); /* more threads stepping than slots: wait for one to finish */
    }
}

static bool slot_has_page(const step_slot_t* slot, const watched_page_t* entry)
{
    for (size_t i = 0; i < slot->page_count; i++) {
        if (slot->pages[i] == entry) {
            return true;
        }
    }
    return false;
}

static void record_if_watched(uintptr_t address, int is_write, uintptr_t pc, void* ucontext)
{
    debugger_site_t* site = debugger_site_find_live(DEBUGGER_SITE_PAGE_WATCHPOINT, address);
    if (site == NULL) {
        return;
    }
    debug_watchpoint_type_t access = is_write < 0    ? DEBUG_WATCHPOINT_ACCESS
                                     : is_write == 1 ? DEBUG_WATCHPOINT_WRITE
                                                     : DEBUG_WATCHPOINT_READ;
    if ((site->watch_type == DEBUG_WATCHPOINT_WRITE && access == DEBUG_WATCHPOINT_READ) ||
        (site->watch_type == DEBUG_WATCHPOINT_READ && access == DEBUG_WATCHPOINT_WRITE)) {
        return;
    }
    debug_event_t event = {
        .type = DEBUG_EVENT_WATCHPOINT,
        .pc = pc,
        .access_address = address,
        .access = access,
    };
    debugger_site_record_hit(site, &event, ucontext);
}

bool page_watch_on_fault(siginfo_t* info, void* ucontext)
{
    if (info->si_code != SEGV_ACCERR || page_size == 0) {
        return false;
    }
    uintptr_t address = (uintptr_t)info->si_addr;
    uintptr_t page = address & ~(page_size - 1);
    watched_page_t* entry = page_find(page);
    if (entry == NULL) {
        return false;
    }
    long tid = current_tid();
    step_slot_t* slot = step_slot_of(tid);
    if (atomic_load(&entry->read_watches) == 0 && atomic_load(&entry->write_watches) == 0 &&
        slot == NULL) {
        /* No watch left: a close that lost a race with the last clear. Retry if the page's own
         * protection allows the access; else the fault is the program's. */
        int is_write = displaced_fault_is_write(SIZE_MAX, ucontext);
        bool allowed = is_write == 1   ? (entry->original & PROT_WRITE) != 0
                       : is_write == 0 ? (entry->original & PROT_READ) != 0
                                       : (entry->original & (PROT_READ | PROT_WRITE)) ==
                                             (PROT_READ | PROT_WRITE);
        if (!allowed) {
            return false;
        }
        mprotect((void*)page, page_size, entry->original);
        return true;
    }
    if (slot != NULL && slot->probing == entry && (entry->original & PROT_WRITE) != 0) {
        /* The read-only opening faulted: the access is a write. */
        slot->probing = NULL;
        record_if_watched(slot->probe_address, 1, slot->probe_pc, ucontext);
        mprotect((void*)page, page_size, entry->original);
        return true;
    }
    if (slot != NULL && slot_has_page(slot, entry)) {
        /* Closed under this thread's step by another thread's step end: reopen, no report. */
        mprotect((void*)page, page_size,
                 slot->probing == entry ? entry->original & ~PROT_WRITE : entry->original);
        return true;
    }
    bool begins_step = slot == NULL;
    if (slot == NULL) {
        slot = step_slot_take(tid);
        slot->probing = NULL;
    }
    if (slot->page_count == PAGE_WATCH_STEP_PAGES) {
        return false; /* an instruction touching more pages than we track */
    }
    int is_write = displaced_fault_is_write((size_t)(slot - step_slots), ucontext);
    if (page == atomic_load(&probe_page)) {
        atomic_fetch_add(&probe_faults, 1);
    }
    int open_protection = entry->original;
    if (is_write < 0 && slot->probing == NULL && (entry->original & PROT_READ) &&
        atomic_load(&entry->read_watches) > 0) {
        slot->probing = entry;
        slot->probe_address = address;
        slot->probe_pc = displaced_fault_pc(ucontext);
        open_protection = entry->original & ~PROT_WRITE;
    } else {
        record_if_watched(address, is_write, displaced_fault_pc(ucontext), ucontext);
    }
    slot->pages[slot->page_count++] = entry;
    atomic_fetch_add(&entry->open_count, 1);
    mprotect((void*)page, page_size, open_protection);
    if (begins_step) {
        displaced_step_begin((size_t)(slot - step_slots), ucontext);
    }
    return true;
}

bool page_watch_on_trap(siginfo_t* info, void* ucontext)
{
    if (page_size == 0) {
        return false;
    }
    step_slot_t* slot = step_slot_of(current_tid());
    if (slot == NULL || !displaced_step_end((size_t)(slot - step_slots), info, ucontext)) {
        return false;
    }
    if (slot->probing != NULL) {
        /* The read-only opening sufficed: the access was a read (registers are those after). */
        record_if_watched(slot->probe_address, 0, slot->probe_pc, ucontext);
        slot->probing = NULL;
    }
    for (size_t i = 0; i < slot->page_count; i++) {
        watched_page_t* entry = slot->pages[i];
        if (atomic_fetch_sub(&entry->open_count, 1) == 1) {
            mprotect((void*)atomic_load(&entry->page), page_size, closed_protection(entry));
        }
    }
    slot->page_count = 0;
    atomic_store_explicit(&slot->tid, 0, memory_order_release);
    return true;
}

static bool page_available;
static pthread_once_t page_once = PTHREAD_ONCE_INIT;

/* Watches a page of its own through a site that stays ARMING (never reported), writes to it and
 * checks the fault came and the write landed. */
static void page_self_test(void)
{
    uintptr_t size = (uintptr_t)sysconf(_SC_PAGESIZE);
    void* mapped = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapped == MAP_FAILED) {
        return;
    }
    volatile int* probe = mapped;
    coremod_failure_t failure = {0};
    debugger_sites_lock();
    debugger_site_t* site = debugger_site_reserve(NULL, DEBUGGER_SITE_PAGE_WATCHPOINT,
                                                  (uintptr_t)mapped, 64, DEBUG_WATCHPOINT_WRITE);
    if (site != NULL) {
        atomic_store(&probe_page, (uintptr_t)mapped);
        atomic_store(&probe_faults, 0);
        if (page_watch_arm(site, &failure)) {
            probe[1] = 7;
            page_available = probe[1] == 7 && atomic_load(&probe_faults) == 1;
            page_watch_disarm(site);
        }
        /* The page is about to be unmapped: its entry must not outlive it. */
        watched_page_t* entry = page_find((uintptr_t)mapped);
        if (entry != NULL) {
            atomic_store(&entry->page, 0);
        }
        atomic_store(&probe_page, 0);
        debugger_site_retire(site);
    }
    debugger_sites_unlock();
    munmap(mapped, size);
}

bool page_watchpoints_available(void)
{
    pthread_once(&page_once, page_self_test);
    return page_available;
}
