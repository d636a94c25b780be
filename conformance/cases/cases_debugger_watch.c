/*
 * cases_debugger_watch.c — watched ranges (SPEC 14.9, 14.6, 14.7, coremod): sizes 1, 2, 4, 8
 * aligned (a debug register where there is one), odd sizes, unaligned starts and the document's
 * 1024 bytes (page protection); the first and last byte of a range are reported, the bytes just
 * outside are not; WRITE, READ and ACCESS report what they say; events carry the accessing
 * thread's id; hit counts are exact.
 */
#include <pthread.h>
#include <unistd.h>

#include "conformance.h"
#include "debugger_support.h"

typedef struct {
    size_t offset; /* from the start of the watch pages */
    size_t size;
    const char* what;
} watch_range_t;

static void write_byte(uintptr_t address, unsigned char value)
{
    *(volatile unsigned char*)address = value;
}

static unsigned char read_byte(uintptr_t address)
{
    return *(volatile const unsigned char*)address;
}

static void expect_watch_event(module_debugger_context_t* ctx, uintptr_t start, size_t size,
                               uintptr_t touched, const char* what)
{
    debug_event_t event = debugger_expect_event(ctx, 1000, what);
    cr_assert(event.type == DEBUG_EVENT_WATCHPOINT,
              "%s: the event has type %s, expected WATCHPOINT (SPEC 14.6)", what,
              debugger_event_type_name(event.type));
    cr_assert(event.address == start,
              "%s: the event's address is %#lx, expected the watch's start %#lx (SPEC 14.6)", what,
              (unsigned long)event.address, (unsigned long)start);
    cr_assert(event.access_address == touched ||
                  (event.access_address >= start && event.access_address < start + size),
              "%s: the event's access_address %#lx lies outside the watched range [%#lx, %#lx) "
              "(SPEC 14.6)",
              what, (unsigned long)event.access_address, (unsigned long)start,
              (unsigned long)(start + size));
    cr_assert(event.thread_id == (uint64_t)thread_probe_self(),
              "%s: the event's thread_id is %lu, expected the accessing thread's %d (SPEC 14.6)",
              what, (unsigned long)event.thread_id, (int)thread_probe_self());
}

/* Sets a WRITE watch on each range; writes its first and last byte (reported) and the bytes just
 * before and after it (not reported); clears it. */
static void check_ranges(const watch_range_t* ranges, size_t count)
{
    debugger_require_all();
    module_debugger_context_t* ctx = case_debugger_new();
    unsigned char* memory = debugger_watch_memory();
    for (size_t r = 0; r < count; r++) {
        uintptr_t start = (uintptr_t)memory + ranges[r].offset;
        size_t size = ranges[r].size;
        const char* what = ranges[r].what;
        cr_assert(CAND(module_debugger_set_watchpoint)(ctx, start, size, DEBUG_WATCHPOINT_WRITE),
                  "module_debugger_set_watchpoint(%s, WRITE) returned false with %s; any size and "
                  "alignment is accepted (SPEC 14.9)",
                  what, error_name(CAND(module_get_last_error)()));
        write_byte(start - 1, 0x11);
        debugger_expect_no_event(ctx, 20, case_strf("a write of the byte just before %s", what));
        write_byte(start + size, 0x22);
        debugger_expect_no_event(ctx, 20, case_strf("a write of the byte just after %s", what));
        write_byte(start, 0x33);
        expect_watch_event(ctx, start, size, start,
                           case_strf("a write of the first byte of %s", what));
        write_byte(start + size - 1, 0x44);
        expect_watch_event(ctx, start, size, start + size - 1,
                           case_strf("a write of the last byte of %s", what));
        debugger_expect_no_event(ctx, 0, case_strf("nothing more after two writes in %s", what));
        cr_assert(read_byte(start - 1) == 0x11 && read_byte(start + size) == 0x22 &&
                      read_byte(start) == (size == 1 ? 0x44 : 0x33) &&
                      read_byte(start + size - 1) == 0x44,
                  "%s: a write around or inside the watch did not land (SPEC 14.9)", what);
        uint64_t hits = debugger_hits(ctx, start, what);
        cr_assert(hits == 2, "%s: the hit count is %lu after two writes inside it (SPEC 14.7)",
                  what, (unsigned long)hits);
        cr_assert(CAND(module_debugger_clear_watchpoint)(ctx, start),
                  "module_debugger_clear_watchpoint(%s) failed with %s (SPEC 14.8)", what,
                  error_name(CAND(module_get_last_error)()));
    }
    CAND(module_debugger_destroy)(ctx);
}

CONFORMANCE_CASE(debugger_watch, DEBUG_WATCH_001, "14.9",
                 "write watches of 1, 2, 4 and 8 aligned bytes report their first and last byte, "
                 "not the bytes just outside")
{
    static const watch_range_t ranges[] = {
        {64, 1, "1 byte at an 8-aligned address"},
        {130, 2, "2 bytes at a 2-aligned address"},
        {260, 4, "4 bytes at a 4-aligned address"},
        {520, 8, "8 bytes at an 8-aligned address"},
    };
    check_ranges(ranges, sizeof(ranges) / sizeof(ranges[0]));
}

CONFORMANCE_CASE(debugger_watch, DEBUG_WATCH_002, "14.9",
                 "write watches of odd sizes, unaligned starts, 1024 bytes and across a page "
                 "boundary report exactly their range")
{
    long page = sysconf(_SC_PAGESIZE);
    watch_range_t ranges[] = {
        {65, 4, "4 bytes at an odd address"},
        {131, 8, "8 bytes at an odd address"},
        {200, 3, "3 bytes"},
        {301, 13, "13 bytes at an odd address"},
        {1024, 1024, "1024 bytes (the document's example size)"},
        {(size_t)page - 10, 20, "20 bytes across a page boundary"},
    };
    check_ranges(ranges, sizeof(ranges) / sizeof(ranges[0]));
}

CONFORMANCE_CASE(debugger_watch, DEBUG_WATCH_003, "14.9",
                 "WRITE watches report writes only, READ watches reads only, ACCESS both, at "
                 "register and page sizes")
{
    debugger_require_all();
    module_debugger_context_t* ctx = case_debugger_new();
    unsigned char* memory = debugger_watch_memory();
    static const size_t sizes[] = {8, 64};
    static const debug_watchpoint_type_t types[] = {DEBUG_WATCHPOINT_WRITE, DEBUG_WATCHPOINT_READ,
                                                    DEBUG_WATCHPOINT_ACCESS};
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
            uintptr_t start = (uintptr_t)memory + 256;
            const char* what =
                case_strf("a %s watch of %zu bytes", debugger_watch_type_name(types[t]), sizes[s]);
            cr_assert(CAND(module_debugger_set_watchpoint)(ctx, start, sizes[s], types[t]),
                      "module_debugger_set_watchpoint(%s) returned false with %s (SPEC 14.9)", what,
                      error_name(CAND(module_get_last_error)()));
            unsigned char value = read_byte(start + 1);
            if (types[t] == DEBUG_WATCHPOINT_WRITE) {
                debugger_expect_no_event(ctx, 20, case_strf("a read under %s", what));
            } else {
                expect_watch_event(ctx, start, sizes[s], start + 1,
                                   case_strf("a read under %s", what));
            }
            write_byte(start + 2, (unsigned char)(value + 1));
            if (types[t] == DEBUG_WATCHPOINT_READ) {
                debugger_expect_no_event(ctx, 20, case_strf("a write under %s", what));
            } else {
                expect_watch_event(ctx, start, sizes[s], start + 2,
                                   case_strf("a write under %s", what));
            }
            cr_assert(CAND(module_debugger_clear_watchpoint)(ctx, start),
                      "module_debugger_clear_watchpoint(%s) failed with %s (SPEC 14.8)", what,
                      error_name(CAND(module_get_last_error)()));
            cr_assert(read_byte(start + 2) == (unsigned char)(value + 1),
                      "the write under %s did not land (SPEC 14.9)", what);
        }
    }
    CAND(module_debugger_destroy)(ctx);
}

#define WATCH_THREADS 3
#define WATCH_WRITES 4

typedef struct {
    uintptr_t address;
    pid_t tid;
} watch_worker_t;

static void* write_watched(void* arg)
{
    watch_worker_t* worker = arg;
    worker->tid = thread_probe_self();
    for (int i = 0; i < WATCH_WRITES; i++) {
        write_byte(worker->address + (uintptr_t)i, (unsigned char)i);
    }
    return NULL;
}

CONFORMANCE_CASE(debugger_watch, DEBUG_WATCH_004, "14.9",
                 "watch events from three threads carry each writing thread's id; the hit count "
                 "is exact")
{
    debugger_require_all();
    module_debugger_context_t* ctx = case_debugger_new();
    unsigned char* memory = debugger_watch_memory();
    static const size_t sizes[] = {8, 48};
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        uintptr_t start = (uintptr_t)memory + 512;
        cr_assert(
            CAND(module_debugger_set_watchpoint)(ctx, start, sizes[s], DEBUG_WATCHPOINT_WRITE),
            "module_debugger_set_watchpoint(%zu bytes, WRITE) failed with %s", sizes[s],
            error_name(CAND(module_get_last_error)()));
        for (int t = 0; t < WATCH_THREADS; t++) {
            watch_worker_t worker = {start, 0};
            pthread_t thread;
            cr_assert(pthread_create(&thread, NULL, write_watched, &worker) == 0,
                      HARNESS_FAULT_PREFIX "pthread_create failed");
            cr_assert(thread_join_within(thread, 10.0, NULL),
                      "a thread writing watched memory did not finish within 10 s (SPEC 14.6: "
                      "non-stop)");
            for (int i = 0; i < WATCH_WRITES; i++) {
                debug_event_t event =
                    debugger_expect_event(ctx, 1000,
                                          case_strf("write %d of thread %d to a %zu-byte watch", i,
                                                    (int)worker.tid, sizes[s]));
                cr_assert(event.thread_id == (uint64_t)worker.tid,
                          "the event of write %d by thread %d carries thread_id %lu; it must be "
                          "the writing thread's gettid() (SPEC 14.6, 14.9)",
                          i, (int)worker.tid, (unsigned long)event.thread_id);
                cr_assert(event.type == DEBUG_EVENT_WATCHPOINT && event.address == start,
                          "the event of a watched write has type %s and address %#lx, expected "
                          "WATCHPOINT and %#lx (SPEC 14.6)",
                          debugger_event_type_name(event.type), (unsigned long)event.address,
                          (unsigned long)start);
            }
        }
        uint64_t hits = debugger_hits(ctx, start, "the watch written by three threads");
        cr_assert(hits == WATCH_THREADS * WATCH_WRITES,
                  "a %zu-byte watch counted %lu hits for %d writes (SPEC 14.7)", sizes[s],
                  (unsigned long)hits, WATCH_THREADS * WATCH_WRITES);
        cr_assert(CAND(module_debugger_clear_watchpoint)(ctx, start),
                  "module_debugger_clear_watchpoint failed with %s (SPEC 14.8)",
                  error_name(CAND(module_get_last_error)()));
    }
    CAND(module_debugger_destroy)(ctx);
}
