/*
 * exercise_debugger.c — drives every function of the Debugging System API (module_debugger.h)
 * against the reference library, without Criterion, so that valgrind, ASan+UBSan and TSan see
 * one plain process doing it all: every error path, hardware breakpoints and watchpoints hit from
 * two threads (one started before the breakpoint was set, one after), events, hit counts, the
 * registers at a stop, slot exhaustion, clearing, a full queue, destroy with live sites and with
 * a waiter. Where the machine lacks a kind (qemu-user, valgrind: no perf breakpoints) the driver
 * checks the "not supported" answer instead. Prints the set and hit costs it measured.
 *
 * COREMOD_EXERCISE_ITERATIONS: hits per thread in the threaded phase (default 50).
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif

#include "module_debugger.h"
#include "module_interface.h"

static int failures;
static int checks;

#define CHECK(condition, ...)                                                                      \
    do {                                                                                           \
        checks++;                                                                                  \
        if (!(condition)) {                                                                        \
            failures++;                                                                            \
            fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #condition);          \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
        }                                                                                          \
    } while (0)

/* ---- the error callback recorder ---------------------------------------------------------- */

static _Atomic int callback_calls;
static module_error_t callback_code;
static char callback_message[1024];

static void record_error(module_error_t error, const char* message)
{
    atomic_fetch_add(&callback_calls, 1);
    callback_code = error;
    snprintf(callback_message, sizeof(callback_message), "%s", message ? message : "");
}

static void expect_failure(bool returned, module_error_t code, const char* needle, const char* what,
                           int line)
{
    checks++;
    module_error_t last = module_get_last_error();
    int calls = atomic_exchange(&callback_calls, 0);
    if (returned || last != code || calls != 1 || callback_code != code ||
        (needle != NULL && strstr(callback_message, needle) == NULL)) {
        failures++;
        fprintf(stderr,
                "line %d: %s: expected failure %d containing \"%s\"; returned %d, last error %d, "
                "%d callback(s), message \"%s\"\n",
                line, what, (int)code, needle ? needle : "", (int)returned, (int)last, calls,
                callback_message);
    }
    callback_message[0] = '\0';
}
#define EXPECT_FAIL(call, code, needle) expect_failure((call), (code), (needle), #call, __LINE__)

static void expect_success(bool returned, const char* what, int line)
{
    checks++;
    int calls = atomic_exchange(&callback_calls, 0);
    if (!returned || module_get_last_error() != MODULE_SUCCESS || calls != 0) {
        failures++;
        fprintf(stderr,
                "line %d: %s: expected success; returned %d, last error %d, message \"%s\"\n", line,
                what, (int)returned, (int)module_get_last_error(), callback_message);
    }
}
#define EXPECT_OK(call) expect_success((call), #call, __LINE__)

/* ---- targets ------------------------------------------------------------------------------ */

__attribute__((noinline)) int f(int x);
__attribute__((noinline)) int f(int x)
{
    __asm__ volatile("" ::: "memory");
    return x * 3 + 1;
}
#define DEFINE_TARGET(name, k)                                                                     \
    __attribute__((noinline)) int name(int x);                                                     \
    __attribute__((noinline)) int name(int x)                                                      \
    {                                                                                              \
        __asm__ volatile("" ::: "memory");                                                         \
        return x + (k);                                                                            \
    }
DEFINE_TARGET(target_1, 1)
DEFINE_TARGET(target_2, 2)
DEFINE_TARGET(target_3, 3)
DEFINE_TARGET(target_4, 4)
DEFINE_TARGET(target_5, 5)
DEFINE_TARGET(target_6, 6)
DEFINE_TARGET(target_7, 7)
DEFINE_TARGET(target_8, 8)

static int (*volatile call_f)(int) = f;
static int (*const targets[])(int) = {target_1, target_2, target_3, target_4,
                                      target_5, target_6, target_7, target_8};

static _Alignas(64) volatile uint64_t watched_word;
static _Alignas(64) volatile uint64_t plain_word;

static uint64_t tid(void)
{
    return (uint64_t)syscall(SYS_gettid);
}

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static unsigned iterations(void)
{
    const char* text = getenv("COREMOD_EXERCISE_ITERATIONS");
    long n = text ? strtol(text, NULL, 10) : 50;
    return n > 0 ? (unsigned)n : 50;
}

/* The first argument register in the state of the last stop. */
static bool first_argument(module_debugger_context_t* ctx, uint64_t* value)
{
#if defined(__x86_64__)
    x86_64_processor_state_t state;
    bool ok = module_debugger_get_x86_64_state(ctx, &state);
    *value = state.rdi;
    return ok;
#else
    arm64_processor_state_t state;
    bool ok = module_debugger_get_processor_state(ctx, &state);
    *value = state.x[0];
    return ok;
#endif
}

/* Drains every queued event; returns how many. */
static unsigned drain(module_debugger_context_t* ctx)
{
    debug_event_t event;
    unsigned n = 0;
    while (module_debugger_wait_event(ctx, &event, 0)) {
        n++;
    }
    atomic_store(&callback_calls, 0);
    return n;
}

/* ---- 1. bad contexts and arguments -------------------------------------------------------- */

static void exercise_bad_contexts(module_debugger_context_t* stale)
{
    module_debugger_context_t* contexts[] = {NULL, (module_debugger_context_t*)(uintptr_t)0x1234,
                                             stale};
    debug_event_t event;
    uint64_t count;
    debug_capabilities_t caps;
    arm64_processor_state_t arm;
    x86_64_processor_state_t x86;
    uintptr_t code = (uintptr_t)f;
    for (size_t i = 0; i < sizeof(contexts) / sizeof(contexts[0]); i++) {
        module_debugger_context_t* c = contexts[i];
        EXPECT_FAIL(module_debugger_set_breakpoint(c, code, DEBUG_BREAKPOINT_HARDWARE),
                    MODULE_ERROR_INVALID_PARAMETER, "ctx");
        EXPECT_FAIL(
            module_debugger_set_watchpoint(c, (uintptr_t)&plain_word, 8, DEBUG_WATCHPOINT_WRITE),
            MODULE_ERROR_INVALID_PARAMETER, "ctx");
        EXPECT_FAIL(module_debugger_clear_breakpoint(c, code), MODULE_ERROR_INVALID_PARAMETER,
                    "ctx");
        EXPECT_FAIL(module_debugger_clear_watchpoint(c, (uintptr_t)&plain_word),
                    MODULE_ERROR_INVALID_PARAMETER, "ctx");
        EXPECT_FAIL(module_debugger_wait_event(c, &event, 0), MODULE_ERROR_INVALID_PARAMETER,
                    "ctx");
        EXPECT_FAIL(module_debugger_get_hit_count(c, code, &count), MODULE_ERROR_INVALID_PARAMETER,
                    "ctx");
        EXPECT_FAIL(module_debugger_get_capabilities(c, &caps), MODULE_ERROR_INVALID_PARAMETER,
                    "ctx");
        EXPECT_FAIL(module_debugger_get_processor_state(c, &arm), MODULE_ERROR_INVALID_PARAMETER,
                    "ctx");
        EXPECT_FAIL(module_debugger_get_x86_64_state(c, &x86), MODULE_ERROR_INVALID_PARAMETER,
                    "ctx");
    }
    /* destroy: NULL does nothing (last error untouched), a bad value is reported. */
    module_debugger_destroy(NULL);
    CHECK(atomic_load(&callback_calls) == 0, "destroy(NULL) called the callback");
    module_debugger_destroy(stale);
    expect_failure(false, MODULE_ERROR_INVALID_PARAMETER, "ctx", "destroy(stale)", __LINE__);
}

static void exercise_bad_arguments(module_debugger_context_t* ctx)
{
    uintptr_t code = (uintptr_t)f;
    uintptr_t data = (uintptr_t)&plain_word;
    long page = sysconf(_SC_PAGESIZE);
    void* hole = mmap(NULL, (size_t)page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(hole != MAP_FAILED, "mmap: %s", strerror(errno));
    munmap(hole, (size_t)page);
    uintptr_t unmapped = (uintptr_t)hole;

    EXPECT_FAIL(module_debugger_set_breakpoint(ctx, 0, DEBUG_BREAKPOINT_HARDWARE),
                MODULE_ERROR_INVALID_PARAMETER, "address");
    EXPECT_FAIL(module_debugger_set_breakpoint(ctx, code, (debug_breakpoint_type_t)7),
                MODULE_ERROR_INVALID_PARAMETER, "type");
    EXPECT_FAIL(module_debugger_set_breakpoint(ctx, unmapped, DEBUG_BREAKPOINT_HARDWARE),
                MODULE_ERROR_INVALID_PARAMETER, "not mapped");
    EXPECT_FAIL(module_debugger_set_breakpoint(ctx, data, DEBUG_BREAKPOINT_SOFTWARE),
                MODULE_ERROR_INVALID_PARAMETER, "executable");
    EXPECT_FAIL(module_debugger_set_watchpoint(ctx, 0, 8, DEBUG_WATCHPOINT_WRITE),
                MODULE_ERROR_INVALID_PARAMETER, "address");
    EXPECT_FAIL(module_debugger_set_watchpoint(ctx, data, 0, DEBUG_WATCHPOINT_WRITE),
                MODULE_ERROR_INVALID_PARAMETER, "size");
    EXPECT_FAIL(module_debugger_set_watchpoint(ctx, data, 8, (debug_watchpoint_type_t)0),
                MODULE_ERROR_INVALID_PARAMETER, "type");
    EXPECT_FAIL(module_debugger_set_watchpoint(ctx, UINTPTR_MAX - 2, 8, DEBUG_WATCHPOINT_WRITE),
                MODULE_ERROR_INVALID_PARAMETER, "end of the address space");
    EXPECT_FAIL(module_debugger_set_watchpoint(ctx, unmapped, 8, DEBUG_WATCHPOINT_WRITE),
                MODULE_ERROR_INVALID_PARAMETER, "not mapped");
    EXPECT_FAIL(module_debugger_clear_breakpoint(ctx, code), MODULE_ERROR_INVALID_PARAMETER,
                "no breakpoint");
    EXPECT_FAIL(module_debugger_clear_watchpoint(ctx, data), MODULE_ERROR_INVALID_PARAMETER,
                "no watchpoint");
    uint64_t count;
    EXPECT_FAIL(module_debugger_get_hit_count(ctx, code, &count), MODULE_ERROR_INVALID_PARAMETER,
                "no breakpoint");
    EXPECT_FAIL(module_debugger_get_hit_count(ctx, code, NULL), MODULE_ERROR_INVALID_PARAMETER,
                "NULL");
    EXPECT_FAIL(module_debugger_wait_event(ctx, NULL, 0), MODULE_ERROR_INVALID_PARAMETER, "NULL");
    EXPECT_FAIL(module_debugger_get_capabilities(ctx, NULL), MODULE_ERROR_INVALID_PARAMETER,
                "NULL");
    EXPECT_FAIL(module_debugger_get_processor_state(ctx, NULL), MODULE_ERROR_INVALID_PARAMETER,
                "NULL");
    EXPECT_FAIL(module_debugger_get_x86_64_state(ctx, NULL), MODULE_ERROR_INVALID_PARAMETER,
                "NULL");

    debug_event_t event;
    EXPECT_FAIL(module_debugger_wait_event(ctx, &event, 0), MODULE_ERROR_RESOURCE_EXHAUSTED,
                "no event");
    double start = now_us();
    EXPECT_FAIL(module_debugger_wait_event(ctx, &event, 30), MODULE_ERROR_RESOURCE_EXHAUSTED,
                "no event");
    double waited = now_us() - start;
    CHECK(waited >= 29000.0, "wait_event(30 ms) returned after %.0f us", waited);

    /* Before any stop: the machine's verdict on the foreign struct, "no stop yet" otherwise. */
    arm64_processor_state_t arm;
    x86_64_processor_state_t x86;
#if defined(__x86_64__)
    EXPECT_FAIL(module_debugger_get_processor_state(ctx, &arm), MODULE_ERROR_SYSTEM_ERROR,
                "not supported on x86-64");
    EXPECT_FAIL(module_debugger_get_x86_64_state(ctx, &x86), MODULE_ERROR_INVALID_PARAMETER,
                "no stop yet");
#else
    EXPECT_FAIL(module_debugger_get_processor_state(ctx, &arm), MODULE_ERROR_INVALID_PARAMETER,
                "no stop yet");
    EXPECT_FAIL(module_debugger_get_x86_64_state(ctx, &x86), MODULE_ERROR_SYSTEM_ERROR,
                "not supported");
#endif
}

/* ---- 2. hardware breakpoints from two threads --------------------------------------------- */

typedef struct {
    pthread_barrier_t* go; /* NULL: start at once */
    unsigned calls;
    int argument;
    _Atomic uint64_t tid;
    int wrong_results;
} caller_t;

static void* caller_main(void* arg)
{
    caller_t* caller = arg;
    atomic_store(&caller->tid, tid());
    if (caller->go != NULL) {
        pthread_barrier_wait(caller->go);
    }
    for (unsigned i = 0; i < caller->calls; i++) {
        if (call_f(caller->argument) != caller->argument * 3 + 1) {
            caller->wrong_results++;
        }
    }
    return NULL;
}

static void exercise_hardware_breakpoints(module_debugger_context_t* ctx,
                                          const debug_capabilities_t* caps)
{
    uintptr_t code = (uintptr_t)f;
    if (!caps->hardware_breakpoints) {
        EXPECT_FAIL(module_debugger_set_breakpoint(ctx, code, DEBUG_BREAKPOINT_HARDWARE),
                    MODULE_ERROR_SYSTEM_ERROR, "not supported");
        CHECK(caps->hardware_slots == 0 || caps->hardware_watchpoints,
              "slots %u without hardware support", caps->hardware_slots);
        printf("exercise_debugger: hardware breakpoints not supported here: checked the "
               "not-supported answer\n");
        return;
    }
    /* Thread A exists before the breakpoint is set; thread B is created after. */
    unsigned n = iterations();
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, 2);
    caller_t a = {.go = &go, .calls = n, .argument = 1000};
    caller_t b = {.go = NULL, .calls = n, .argument = 2000};
    pthread_t thread_a;
    pthread_t thread_b;
    pthread_create(&thread_a, NULL, caller_main, &a);

    EXPECT_OK(module_debugger_set_breakpoint(ctx, code, DEBUG_BREAKPOINT_HARDWARE));
    EXPECT_FAIL(module_debugger_set_breakpoint(ctx, code, DEBUG_BREAKPOINT_HARDWARE),
                MODULE_ERROR_INVALID_PARAMETER, "already set");
    EXPECT_FAIL(module_debugger_set_breakpoint(ctx, code, DEBUG_BREAKPOINT_SOFTWARE),
                MODULE_ERROR_INVALID_PARAMETER, "already set");

    /* One hit on this thread: the event and the registers. */
    CHECK(call_f(42) == 127, "f(42) under a breakpoint returned the wrong value");
    debug_event_t event;
    EXPECT_OK(module_debugger_wait_event(ctx, &event, 1000));
    CHECK(event.type == DEBUG_EVENT_BREAKPOINT, "type %d", (int)event.type);
    CHECK(event.address == code, "address %#lx, want %#lx", (unsigned long)event.address,
          (unsigned long)code);
    CHECK(event.pc == code, "pc %#lx, want %#lx", (unsigned long)event.pc, (unsigned long)code);
    CHECK(event.thread_id == tid(), "thread %lu, want %lu", (unsigned long)event.thread_id,
          (unsigned long)tid());
    CHECK(event.sequence == 1 && event.dropped_before == 0, "sequence %lu dropped %lu",
          (unsigned long)event.sequence, (unsigned long)event.dropped_before);
    uint64_t argument = 0;
    EXPECT_OK(first_argument(ctx, &argument));
    CHECK(argument == 42, "first argument register %lu at the stop in f(42)",
          (unsigned long)argument);

    pthread_barrier_wait(&go);
    pthread_create(&thread_b, NULL, caller_main, &b);
    pthread_join(thread_a, NULL);
    pthread_join(thread_b, NULL);
    pthread_barrier_destroy(&go);
    CHECK(a.wrong_results == 0 && b.wrong_results == 0, "f returned wrong results: %d, %d",
          a.wrong_results, b.wrong_results);

    unsigned from_a = 0;
    unsigned from_b = 0;
    unsigned bad = 0;
    uint64_t previous = 1;
    while (module_debugger_wait_event(ctx, &event, 0)) {
        uint64_t value = 0;
        bool have = first_argument(ctx, &value);
        if (event.thread_id == atomic_load(&a.tid) && have && value == 1000) {
            from_a++;
        } else if (event.thread_id == atomic_load(&b.tid) && have && value == 2000) {
            from_b++;
        } else {
            bad++;
        }
        if (event.sequence != previous + 1 || event.pc != code) {
            bad++;
        }
        previous = event.sequence;
    }
    atomic_store(&callback_calls, 0);
    CHECK(from_a == n && from_b == n && bad == 0,
          "events: %u from A (created before), %u from B (created after), want %u each; %u "
          "wrong (thread, argument, sequence or pc)",
          from_a, from_b, n, bad);
    uint64_t hits = 0;
    EXPECT_OK(module_debugger_get_hit_count(ctx, code, &hits));
    CHECK(hits == 1 + 2 * (uint64_t)n, "hit count %lu, want %lu", (unsigned long)hits,
          (unsigned long)(1 + 2 * n));

    /* Slot exhaustion: f holds one register; fill the rest, then one more. */
    unsigned slots = caps->hardware_slots;
    CHECK(slots >= 1 && slots <= 8, "hardware_slots %u", slots);
    unsigned filled = 0;
    for (; filled + 1 < slots && filled < 8; filled++) {
        EXPECT_OK(module_debugger_set_breakpoint(ctx, (uintptr_t)targets[filled],
                                                 DEBUG_BREAKPOINT_HARDWARE));
    }
    if (filled < 8) {
        EXPECT_FAIL(module_debugger_set_breakpoint(ctx, (uintptr_t)targets[filled],
                                                   DEBUG_BREAKPOINT_HARDWARE),
                    MODULE_ERROR_RESOURCE_EXHAUSTED, "debug register");
    }
    for (unsigned i = 0; i < filled; i++) {
        EXPECT_OK(module_debugger_clear_breakpoint(ctx, (uintptr_t)targets[i]));
    }

    /* Clearing stops the events. */
    EXPECT_OK(module_debugger_clear_breakpoint(ctx, code));
    call_f(5);
    EXPECT_FAIL(module_debugger_wait_event(ctx, &event, 0), MODULE_ERROR_RESOURCE_EXHAUSTED,
                "no event");
    EXPECT_FAIL(module_debugger_clear_breakpoint(ctx, code), MODULE_ERROR_INVALID_PARAMETER,
                "no breakpoint");
    EXPECT_FAIL(module_debugger_get_hit_count(ctx, code, &hits), MODULE_ERROR_INVALID_PARAMETER,
                "no breakpoint");
}

/* ---- 3. hardware watchpoints -------------------------------------------------------------- */

static void* writer_main(void* arg)
{
    _Atomic uint64_t* writer_tid = arg;
    atomic_store(writer_tid, tid());
    watched_word = 7;
    return NULL;
}

static void exercise_hardware_watchpoints(module_debugger_context_t* ctx,
                                          const debug_capabilities_t* caps)
{
    uintptr_t word = (uintptr_t)&watched_word;
    if (!caps->hardware_watchpoints) {
        if (!caps->page_watchpoints) {
            EXPECT_FAIL(module_debugger_set_watchpoint(ctx, word, 8, DEBUG_WATCHPOINT_WRITE),
                        MODULE_ERROR_SYSTEM_ERROR, "not supported");
        }
        printf("exercise_debugger: hardware watchpoints not supported here\n");
        return;
    }
    CHECK(caps->hardware_watch_max_size == 8, "hardware_watch_max_size %u",
          caps->hardware_watch_max_size);
    EXPECT_OK(module_debugger_set_watchpoint(ctx, word, 8, DEBUG_WATCHPOINT_WRITE));
    EXPECT_FAIL(module_debugger_set_watchpoint(ctx, word + 4, 4, DEBUG_WATCHPOINT_ACCESS),
                MODULE_ERROR_INVALID_PARAMETER, "overlaps");
    watched_word = 1;
    debug_event_t event;
    EXPECT_OK(module_debugger_wait_event(ctx, &event, 1000));
    CHECK(event.type == DEBUG_EVENT_WATCHPOINT && event.address == word &&
              event.access_address == word && event.access == DEBUG_WATCHPOINT_WRITE &&
              event.thread_id == tid() && event.pc != 0,
          "watch event: type %d address %#lx access_address %#lx access %d thread %lu pc %#lx",
          (int)event.type, (unsigned long)event.address, (unsigned long)event.access_address,
          (int)event.access, (unsigned long)event.thread_id, (unsigned long)event.pc);
    /* From a thread created after the watch was set. */
    _Atomic uint64_t writer_tid = 0;
    pthread_t writer;
    pthread_create(&writer, NULL, writer_main, &writer_tid);
    pthread_join(writer, NULL);
    EXPECT_OK(module_debugger_wait_event(ctx, &event, 1000));
    CHECK(event.type == DEBUG_EVENT_WATCHPOINT && event.thread_id == atomic_load(&writer_tid),
          "watch event from the new thread: type %d thread %lu, want %lu", (int)event.type,
          (unsigned long)event.thread_id, (unsigned long)atomic_load(&writer_tid));
    /* A read does not trigger a write watch. */
    uint64_t value = watched_word;
    (void)value;
    EXPECT_FAIL(module_debugger_wait_event(ctx, &event, 0), MODULE_ERROR_RESOURCE_EXHAUSTED,
                "no event");
    uint64_t hits = 0;
    EXPECT_OK(module_debugger_get_hit_count(ctx, word, &hits));
    CHECK(hits == 2, "watch hit count %lu, want 2", (unsigned long)hits);
    EXPECT_FAIL(module_debugger_clear_watchpoint(ctx, word + 1), MODULE_ERROR_INVALID_PARAMETER,
                "no watchpoint");
    EXPECT_OK(module_debugger_clear_watchpoint(ctx, word));
    watched_word = 2;
    EXPECT_FAIL(module_debugger_wait_event(ctx, &event, 0), MODULE_ERROR_RESOURCE_EXHAUSTED,
                "no event");

    /* An access watch (read or write) on 4 aligned bytes sees a read. */
    EXPECT_OK(module_debugger_set_watchpoint(ctx, word, 4, DEBUG_WATCHPOINT_ACCESS));
    value = watched_word;
    EXPECT_OK(module_debugger_wait_event(ctx, &event, 1000));
    CHECK(event.type == DEBUG_EVENT_WATCHPOINT && event.access == DEBUG_WATCHPOINT_ACCESS,
          "access watch: type %d access %d", (int)event.type, (int)event.access);
    EXPECT_OK(module_debugger_clear_watchpoint(ctx, word));
}

/* ---- 4. the queue, destroy ---------------------------------------------------------------- */

static void exercise_full_queue(module_debugger_context_t* ctx, const debug_capabilities_t* caps)
{
    if (!caps->hardware_breakpoints) {
        return;
    }
    uintptr_t code = (uintptr_t)f;
    const unsigned extra = 20;
    const unsigned capacity = 1024; /* the reference's queue: documented in debugger_events.h */
    EXPECT_OK(module_debugger_set_breakpoint(ctx, code, DEBUG_BREAKPOINT_HARDWARE));
    for (unsigned i = 0; i < capacity + extra; i++) {
        call_f((int)i);
    }
    uint64_t hits = 0;
    EXPECT_OK(module_debugger_get_hit_count(ctx, code, &hits));
    CHECK(hits == capacity + extra, "hits %lu, want %u (counted even when the queue is full)",
          (unsigned long)hits, capacity + extra);
    unsigned drained = drain(ctx);
    CHECK(drained == capacity, "%u events queued, want %u", drained, capacity);
    call_f(1);
    debug_event_t event;
    EXPECT_OK(module_debugger_wait_event(ctx, &event, 1000));
    CHECK(event.dropped_before == extra, "dropped_before %lu, want %u",
          (unsigned long)event.dropped_before, extra);
    EXPECT_OK(module_debugger_clear_breakpoint(ctx, code));
}

typedef struct {
    module_debugger_context_t* ctx;
    bool returned;
    module_error_t error;
    double waited_us;
} waiter_t;

static void* waiter_main(void* arg)
{
    waiter_t* waiter = arg;
    debug_event_t event;
    double start = now_us();
    waiter->returned = module_debugger_wait_event(waiter->ctx, &event, 5000);
    waiter->error = module_get_last_error();
    waiter->waited_us = now_us() - start;
    return NULL;
}

static void exercise_destroy(const debug_capabilities_t* caps)
{
    /* Destroy with live sites: they are cleared (the registers come back) and hits stop. */
    module_debugger_context_t* ctx = module_debugger_create();
    EXPECT_OK(ctx != NULL);
    if (caps->hardware_breakpoints) {
        EXPECT_OK(module_debugger_set_breakpoint(ctx, (uintptr_t)f, DEBUG_BREAKPOINT_HARDWARE));
    }
    if (caps->hardware_watchpoints) {
        EXPECT_OK(module_debugger_set_watchpoint(ctx, (uintptr_t)&watched_word, 8,
                                                 DEBUG_WATCHPOINT_WRITE));
    }
    call_f(3);
    module_debugger_destroy(ctx);
    EXPECT_OK(true);
    call_f(3);
    watched_word = 9;
    module_debugger_context_t* again = module_debugger_create();
    if (caps->hardware_breakpoints) {
        for (unsigned i = 0; i < caps->hardware_slots && i < 8; i++) {
            EXPECT_OK(module_debugger_set_breakpoint(again, (uintptr_t)targets[i],
                                                     DEBUG_BREAKPOINT_HARDWARE));
        }
    }
    module_debugger_destroy(again);
    EXPECT_OK(true);
    exercise_bad_contexts(ctx);

    /* Destroy while another thread waits: the waiter leaves at once with an error. */
    waiter_t waiter = {.ctx = module_debugger_create()};
    pthread_t thread;
    pthread_create(&thread, NULL, waiter_main, &waiter);
    nanosleep(&(struct timespec){.tv_nsec = 50000000}, NULL);
    module_debugger_destroy(waiter.ctx);
    pthread_join(thread, NULL);
    atomic_store(&callback_calls, 0);
    CHECK(!waiter.returned && waiter.error == MODULE_ERROR_INVALID_PARAMETER &&
              waiter.waited_us < 4000000.0,
          "waiter across destroy: returned %d error %d after %.0f us", (int)waiter.returned,
          (int)waiter.error, waiter.waited_us);
}

/* ---- 5. the other kinds, as far as this build has them ------------------------------------ */

static bool running_on_valgrind(void)
{
#if __has_include(<valgrind/valgrind.h>)
    return RUNNING_ON_VALGRIND != 0;
#else
    return false;
#endif
}

static void exercise_software_and_page(module_debugger_context_t* ctx,
                                       const debug_capabilities_t* caps)
{
    debug_event_t event;
    if (running_on_valgrind()) {
        /* valgrind runs translations of the code: it never sees a trap written or removed
         * through /proc/self/mem after it translated the function (a cleared breakpoint would
         * trap for ever), and it does not honour the x86 trap flag a page watch's step relies
         * on. Neither kind is exercised there. */
        printf("exercise_debugger: software breakpoints and page watches not exercised under "
               "valgrind\n");
        return;
    }
    if (caps->software_breakpoints) {
        EXPECT_OK(module_debugger_set_breakpoint(ctx, (uintptr_t)f, DEBUG_BREAKPOINT_SOFTWARE));
        CHECK(call_f(10) == 31, "f(10) under a software breakpoint");
        EXPECT_OK(module_debugger_wait_event(ctx, &event, 1000));
        CHECK(event.type == DEBUG_EVENT_BREAKPOINT && event.pc == (uintptr_t)f &&
                  event.thread_id == tid(),
              "software event: type %d pc %#lx", (int)event.type, (unsigned long)event.pc);
        EXPECT_OK(module_debugger_clear_breakpoint(ctx, (uintptr_t)f));
    } else {
        EXPECT_FAIL(module_debugger_set_breakpoint(ctx, (uintptr_t)f, DEBUG_BREAKPOINT_SOFTWARE),
                    MODULE_ERROR_SYSTEM_ERROR, "not supported");
    }
    static _Alignas(4096) volatile unsigned char buffer[3 * 4096];
    uintptr_t range = (uintptr_t)&buffer[4096 + 100];
    if (caps->page_watchpoints) {
        EXPECT_OK(module_debugger_set_watchpoint(ctx, range, 1024, DEBUG_WATCHPOINT_WRITE));
        buffer[4096 + 99] = 1; /* same page, outside the range: no event */
        buffer[4096 + 600] = 1;
        EXPECT_OK(module_debugger_wait_event(ctx, &event, 1000));
        CHECK(event.type == DEBUG_EVENT_WATCHPOINT && event.address == range &&
                  event.access_address == (uintptr_t)&buffer[4096 + 600],
              "page watch event: type %d address %#lx access %#lx", (int)event.type,
              (unsigned long)event.address, (unsigned long)event.access_address);
        EXPECT_FAIL(module_debugger_wait_event(ctx, &event, 0), MODULE_ERROR_RESOURCE_EXHAUSTED,
                    "no event");
        EXPECT_OK(module_debugger_clear_watchpoint(ctx, range));
    } else {
        EXPECT_FAIL(module_debugger_set_watchpoint(ctx, range, 1024, DEBUG_WATCHPOINT_WRITE),
                    MODULE_ERROR_SYSTEM_ERROR, "not supported");
    }
}

/* ---- 6. figures --------------------------------------------------------------------------- */

static int compare_doubles(const void* a, const void* b)
{
    double x = *(const double*)a;
    double y = *(const double*)b;
    return (x > y) - (x < y);
}

static void measure(module_debugger_context_t* ctx, const debug_capabilities_t* caps)
{
    if (!caps->hardware_breakpoints) {
        return;
    }
    enum { ROUNDS = 50 };
    double set_us[ROUNDS];
    double hit_us[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
        double t0 = now_us();
        bool ok = module_debugger_set_breakpoint(ctx, (uintptr_t)f, DEBUG_BREAKPOINT_HARDWARE);
        double t1 = now_us();
        call_f(i);
        double t2 = now_us();
        call_f(i);
        double t3 = now_us();
        ok = module_debugger_clear_breakpoint(ctx, (uintptr_t)f) && ok;
        CHECK(ok, "set/clear round %d", i);
        set_us[i] = t1 - t0;
        hit_us[i] = (t2 - t1) < (t3 - t2) ? (t2 - t1) : (t3 - t2);
    }
    drain(ctx);
    qsort(set_us, ROUNDS, sizeof(double), compare_doubles);
    qsort(hit_us, ROUNDS, sizeof(double), compare_doubles);
    printf("exercise_debugger: hardware breakpoint set: median %.1f us, max %.1f us; hit "
           "(call of f with the trap and its event): median %.1f us, max %.1f us (%d rounds)\n",
           set_us[ROUNDS / 2], set_us[ROUNDS - 1], hit_us[ROUNDS / 2], hit_us[ROUNDS - 1], ROUNDS);
}

/* ---- 7. the host's own handlers ---------------------------------------------------------- */

static volatile sig_atomic_t host_traps;
static volatile sig_atomic_t host_faults;
static sigjmp_buf host_fault_exit;

static void host_trap_handler(int sig)
{
    (void)sig;
    host_traps++;
}

static void host_fault_handler(int sig, siginfo_t* info, void* ucontext)
{
    (void)sig;
    (void)info;
    (void)ucontext;
    host_faults++;
    siglongjmp(host_fault_exit, 1);
}

/* Installed before the first context: the debugger must chain to them. */
static void install_host_handlers(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = host_trap_handler;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTRAP, &action, NULL);
    memset(&action, 0, sizeof(action));
    action.sa_sigaction = host_fault_handler;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    sigaction(SIGSEGV, &action, NULL);
}

static void exercise_host_handlers(void)
{
    /* A SIGTRAP that is not ours (raised) reaches the plain handler that was there before. */
    raise(SIGTRAP);
    CHECK(host_traps == 1, "the host's SIGTRAP handler ran %d times, want 1", (int)host_traps);
    /* A fault that is not on a watched page (a write to a read-only page, which valgrind does not
     * count as an invalid access) reaches the SA_SIGINFO handler, which leaves by
     * siglongjmp (the debugger must not count itself as still inside a handler afterwards: the
     * destroy below waits for handlers to leave). */
    long page = sysconf(_SC_PAGESIZE);
    volatile unsigned char* closed =
        mmap(NULL, (size_t)page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(closed != MAP_FAILED, "mmap: %s", strerror(errno));
    if (sigsetjmp(host_fault_exit, 1) == 0) {
        closed[0] = 1;
    }
    munmap((void*)closed, (size_t)page);
    CHECK(host_faults == 1, "the host's SIGSEGV handler ran %d times, want 1", (int)host_faults);
}

int main(void)
{
    module_set_error_callback(record_error);
    install_host_handlers();
    module_debugger_context_t* ctx = module_debugger_create();
    EXPECT_OK(ctx != NULL);
    if (ctx == NULL) {
        return 1;
    }
    debug_capabilities_t caps;
    EXPECT_OK(module_debugger_get_capabilities(ctx, &caps));
    printf("exercise_debugger: capabilities: software %d, hardware breakpoints %d, hardware "
           "watchpoints %d (reads alone %d), page watchpoints %d, slots %u, watch max %u bytes, "
           "arm64 state %d, x86-64 state %d\n",
           caps.software_breakpoints, caps.hardware_breakpoints, caps.hardware_watchpoints,
           caps.hardware_read_watchpoints, caps.page_watchpoints, caps.hardware_slots,
           caps.hardware_watch_max_size, caps.arm64_processor_state, caps.x86_64_processor_state);
#if defined(__x86_64__)
    CHECK(!caps.arm64_processor_state && caps.x86_64_processor_state, "state capabilities");
#else
    CHECK(caps.arm64_processor_state && !caps.x86_64_processor_state, "state capabilities");
#endif
    exercise_host_handlers();
    exercise_bad_arguments(ctx);
    exercise_hardware_breakpoints(ctx, &caps);
    exercise_hardware_watchpoints(ctx, &caps);
    exercise_full_queue(ctx, &caps);
    exercise_software_and_page(ctx, &caps);
    measure(ctx, &caps);
    module_debugger_destroy(ctx);
    EXPECT_OK(true);
    exercise_destroy(&caps);
    printf("exercise_debugger: %d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
