/*
 * bench_debugger.c — the Debugging System API's gates (SPEC P.14, P.15: the document's "<0.6ms
 * debugging overhead"), each measured beside the raw platform mechanism it is built on.
 *
 * debugger_set_breakpoint_software / _hardware: one module_debugger_set_breakpoint per sample
 * (batch 1) at the entry of a function of the runner that is never called; the clear after the
 * clock read is not timed. Platform twin: arming the same kind of breakpoint by hand at the
 * entry of another never-called function, the disarming not timed either: a pwrite of the trap
 * instruction (x86-64 int3, one byte; AArch64 brk, four) to /proc/self/mem, written back after;
 * perf_event_open(PERF_TYPE_BREAKPOINT) of an execute breakpoint with sigtrap, closed after.
 *
 * debugger_breakpoint_hit_software / _hardware: one call of a trivial function whose entry has
 * the candidate's breakpoint, so the sample is the whole trap, record and resume path plus a
 * call of a few nanoseconds. The event queue is drained after the clock read (it never fills),
 * and the drain checks that the call made exactly one event, at the breakpoint's address, and
 * still returned what the function returns without a breakpoint; anything else is a recorded
 * failure, which fails the gate. Platform twin: the bare signal round trip of the same trap — a
 * function that executes its own int3/brk, or one under a raw perf execute breakpoint — caught
 * by a handler that only counts (and on AArch64 steps over the brk). The twin's handler is
 * installed around each twin iteration only (untimed), so the candidate's own SIGTRAP handler is
 * in place for the candidate's iterations, exactly as the candidate left it.
 *
 * Never a made-up figure: an operation is unavailable when the candidate lacks the functions or
 * says this machine cannot set that kind (MODULE_ERROR_SYSTEM_ERROR, "not supported": qemu-user,
 * where perf_event_open is ENOSYS, or a machine whose debug registers never deliver a trap). A
 * twin that cannot run here (its probe fails) leaves the operation without one, and its
 * "detail" says why.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#if defined(__linux__)
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#endif

#include "bench_candidate.h"
#include "bench_context.h"
#include "bench_sampler.h"

/* A breakpointed call makes one event; a drain that finds more than this stops (a candidate that
 * never reports an empty queue must not hang the runner). */
#define DRAIN_LIMIT 64

/* The functions breakpoints are set on. Each use has its own, so no two sites share an address
 * (the distinct constants keep identical-code folding from merging them); never inlined and only
 * called through volatile pointers, so the calls stay real calls of these very entries. */
typedef int target_fn(int);

static __attribute__((noinline)) int set_target_software(int x)
{
    return x + 11;
}

static __attribute__((noinline)) int set_target_hardware(int x)
{
    return x + 12;
}

/* What the called functions add to their argument: the result a breakpointed call must still
 * return. */
#define HIT_SOFTWARE_ADDS 13
#define HIT_HARDWARE_ADDS 14
#define TWIN_HIT_SOFTWARE_ADDS 23
#define TWIN_HIT_HARDWARE_ADDS 24

static __attribute__((noinline)) int hit_target_software(int x)
{
    return x + HIT_SOFTWARE_ADDS;
}

static __attribute__((noinline)) int hit_target_hardware(int x)
{
    return x + HIT_HARDWARE_ADDS;
}

static __attribute__((noinline)) int twin_set_target_software(int x)
{
    return x + 21;
}

static __attribute__((noinline)) int twin_set_target_hardware(int x)
{
    return x + 22;
}

static __attribute__((noinline)) int twin_hit_target_hardware(int x)
{
    return x + TWIN_HIT_HARDWARE_ADDS;
}

/* The software twin's trap: the function executes the trap instruction itself. */
#if defined(__x86_64__)
#define TRAP_ASM "int3"
static const unsigned char trap_bytes[] = {0xCC};
#elif defined(__aarch64__)
#define TRAP_ASM "brk #0"
static const unsigned char trap_bytes[] = {0x00, 0x00, 0x20, 0xD4}; /* brk #0, little-endian */
#endif

#if defined(TRAP_ASM)
static __attribute__((noinline)) int twin_hit_target_software(int x)
{
    __asm__ volatile(TRAP_ASM ::: "memory");
    return x + TWIN_HIT_SOFTWARE_ADDS;
}
#endif

/* The argument of every breakpointed call. */
#define CALL_ARGUMENT 1000

/* ---- the candidate's side ------------------------------------------------------------------ */

typedef struct {
    const candidate_api_t* api;
    module_debugger_context_t* debugger;
    debug_breakpoint_type_t type;
    uintptr_t address;
    target_fn* volatile target; /* hits: the breakpointed function */
    int expected;               /* hits: what it returns without a breakpoint */
    volatile int returned;      /* hits: what the breakpointed call returned */
    bool armed;                 /* sets: the timed set succeeded, so finish clears it */
} candidate_bench_t;

static bool candidate_set(bench_iteration_t* it)
{
    candidate_bench_t* bench = it->ctx;
    if (!bench->api->module_debugger_set_breakpoint(bench->debugger, bench->address, bench->type)) {
        bench_failure_from_candidate(&it->failure, bench->api, "module_debugger_set_breakpoint");
        return false;
    }
    bench->armed = true;
    return true;
}

static bool candidate_clear(bench_iteration_t* it)
{
    candidate_bench_t* bench = it->ctx;
    if (!bench->armed) {
        return true;
    }
    bench->armed = false;
    if (!bench->api->module_debugger_clear_breakpoint(bench->debugger, bench->address)) {
        bench_failure_from_candidate(&it->failure, bench->api, "module_debugger_clear_breakpoint");
        return false;
    }
    return true;
}

/* Takes every queued event; true when they were exactly one breakpoint event at the site. */
static bool drain_one_event(candidate_bench_t* bench, bench_failure_t* failure)
{
    debug_event_t event;
    size_t right = 0;
    size_t wrong = 0;
    size_t lost = 0;
    size_t taken = 0;
    while (taken < DRAIN_LIMIT &&
           bench->api->module_debugger_wait_event(bench->debugger, &event, 0)) {
        taken++;
        lost += event.dropped_before;
        if (event.type == DEBUG_EVENT_BREAKPOINT && event.address == bench->address) {
            right++;
        } else {
            wrong++;
        }
    }
    if (taken < DRAIN_LIMIT && bench->api->module_get_last_error != NULL &&
        bench->api->module_get_last_error() != MODULE_ERROR_RESOURCE_EXHAUSTED) {
        bench_failure_from_candidate(failure, bench->api, "module_debugger_wait_event");
        return false;
    }
    if (right == 1 && wrong == 0 && lost == 0 && taken < DRAIN_LIMIT) {
        return true;
    }
    char message[256];
    snprintf(message, sizeof(message),
             "one breakpointed call made %zu event(s) at the breakpoint, %zu other(s), %zu "
             "lost%s (expected exactly one)",
             right, wrong, lost, taken == DRAIN_LIMIT ? ", and the queue did not run dry" : "");
    bench_failure_set_message(failure, "module_debugger_wait_event", message);
    return false;
}

static bool candidate_hit(bench_iteration_t* it)
{
    candidate_bench_t* bench = it->ctx;
    bench->returned = bench->target(CALL_ARGUMENT);
    return true;
}

static bool candidate_check_hit(bench_iteration_t* it)
{
    candidate_bench_t* bench = it->ctx;
    if (bench->returned != bench->expected) {
        char message[128];
        snprintf(message, sizeof(message), "the breakpointed function returned %d instead of %d",
                 bench->returned, bench->expected);
        bench_failure_set_message(&it->failure, "breakpointed call", message);
        drain_one_event(bench, &(bench_failure_t){0});
        return false;
    }
    return drain_one_event(bench, &it->failure);
}

/* ---- the platform twin --------------------------------------------------------------------- */

typedef struct {
    int memory;        /* /proc/self/mem, or -1 */
    int event;         /* hits: the perf breakpoint event, or -1 */
    uintptr_t address; /* where the twin arms its breakpoint */
    unsigned char original[sizeof(uint32_t)];
    int armed; /* sets: the open event, or 1 for a written trap; -1 when not armed */
    target_fn* volatile target;
    int expected;
    volatile int returned;
    struct sigaction handler; /* hits: the do-nothing handler of the twin's iterations */
    struct sigaction saved;   /* ... and the candidate's, put back after each */
    sig_atomic_t traps_before;
} twin_bench_t;

/* Traps the twin's handlers caught (only the runner's thread traps, one at a time). */
static volatile sig_atomic_t twin_traps;

static void twin_on_perf_trap(int signo, siginfo_t* info, void* context)
{
    (void)signo;
    (void)info;
    (void)context;
    /* The kernel resumes at the breakpointed instruction without trapping again. */
    twin_traps = twin_traps + 1;
}

static void twin_on_trap_instruction(int signo, siginfo_t* info, void* context)
{
    (void)signo;
    (void)info;
#if defined(__aarch64__)
    /* brk leaves the PC at itself (x86's int3 at the next instruction): step over it. */
    ((ucontext_t*)context)->uc_mcontext.pc += 4;
#else
    (void)context;
#endif
    twin_traps = twin_traps + 1;
}

static bool twin_fail_errno(bench_failure_t* failure, const char* call)
{
    char message[160];
    snprintf(message, sizeof(message), "%s", strerror(errno));
    bench_failure_set_message(failure, call, message);
    return false;
}

#if defined(__linux__)
/* An execute breakpoint on `address` for the calling thread, trapping with SIGTRAP. */
static int open_perf_breakpoint(uintptr_t address)
{
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.type = PERF_TYPE_BREAKPOINT;
    attr.size = sizeof(attr);
    attr.bp_type = HW_BREAKPOINT_X;
    attr.bp_addr = address;
    attr.bp_len = sizeof(long); /* what x86 requires of an execute breakpoint */
    attr.sample_period = 1;
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    attr.sigtrap = 1;
    attr.remove_on_exec = 1; /* the kernel requires it with sigtrap */
    attr.sig_data = address;
    return (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
}
#endif

static bool twin_write_trap(bench_iteration_t* it)
{
    twin_bench_t* twin = it->ctx;
#if defined(TRAP_ASM)
    if (pwrite(twin->memory, trap_bytes, sizeof(trap_bytes), (off_t)twin->address) !=
        (ssize_t)sizeof(trap_bytes)) {
        return twin_fail_errno(&it->failure, "pwrite(/proc/self/mem)");
    }
    twin->armed = 1;
    return true;
#else
    (void)twin;
    bench_failure_set_message(&it->failure, "pwrite(/proc/self/mem)", "no trap instruction known");
    return false;
#endif
}

static bool twin_restore_code(bench_iteration_t* it)
{
    twin_bench_t* twin = it->ctx;
#if defined(TRAP_ASM)
    if (twin->armed < 0) {
        return true;
    }
    twin->armed = -1;
    bool landed = memcmp((const void*)twin->address, trap_bytes, sizeof(trap_bytes)) == 0;
    if (pwrite(twin->memory, twin->original, sizeof(trap_bytes), (off_t)twin->address) !=
        (ssize_t)sizeof(trap_bytes)) {
        return twin_fail_errno(&it->failure, "pwrite(/proc/self/mem)");
    }
    if (!landed) {
        bench_failure_set_message(&it->failure, "pwrite(/proc/self/mem)",
                                  "the trap instruction did not appear in the code");
        return false;
    }
#else
    (void)twin;
#endif
    return true;
}

static bool twin_open_breakpoint(bench_iteration_t* it)
{
    twin_bench_t* twin = it->ctx;
#if defined(__linux__)
    twin->armed = open_perf_breakpoint(twin->address);
    if (twin->armed < 0) {
        return twin_fail_errno(&it->failure, "perf_event_open");
    }
    return true;
#else
    (void)twin;
    bench_failure_set_message(&it->failure, "perf_event_open", "not on this system");
    return false;
#endif
}

static bool twin_close_breakpoint(bench_iteration_t* it)
{
    twin_bench_t* twin = it->ctx;
    if (twin->armed < 0) {
        return true;
    }
    int event = twin->armed;
    twin->armed = -1;
    if (close(event) != 0) {
        return twin_fail_errno(&it->failure, "close(perf event)");
    }
    return true;
}

static bool twin_install_handler(bench_iteration_t* it)
{
    twin_bench_t* twin = it->ctx;
    if (sigaction(SIGTRAP, &twin->handler, &twin->saved) != 0) {
        return twin_fail_errno(&it->failure, "sigaction");
    }
    twin->traps_before = twin_traps;
    return true;
}

static bool twin_hit(bench_iteration_t* it)
{
    twin_bench_t* twin = it->ctx;
    twin->returned = twin->target(CALL_ARGUMENT);
    return true;
}

static bool twin_check_hit(bench_iteration_t* it)
{
    twin_bench_t* twin = it->ctx;
    sig_atomic_t traps = twin_traps - twin->traps_before;
    if (sigaction(SIGTRAP, &twin->saved, NULL) != 0) {
        return twin_fail_errno(&it->failure, "sigaction");
    }
    if (traps != 1 || twin->returned != twin->expected) {
        char message[128];
        snprintf(message, sizeof(message), "%d trap(s) (expected 1), returned %d (expected %d)",
                 (int)traps, twin->returned, twin->expected);
        bench_failure_set_message(&it->failure, "raw trap", message);
        return false;
    }
    return true;
}

/* Runs one untimed iteration of `c`; false with the failure in `failure` when any part fails. */
static bool probe(const bench_case_t* c, bench_failure_t* failure)
{
    bench_iteration_t it = {.ctx = c->ctx, .batch = c->batch};
    bool ok = c->prepare == NULL || c->prepare(&it);
    if (ok) {
        ok = c->run(&it);
        ok = (c->finish == NULL || c->finish(&it)) && ok;
    }
    *failure = it.failure;
    return ok;
}

/* ---- the operations ------------------------------------------------------------------------ */

typedef struct {
    const char* name;
    bool hit; /* a breakpointed call; else a set */
    debug_breakpoint_type_t type;
    target_fn* target; /* the candidate's breakpoint site */
    int adds;          /* hits: what `target` adds to its argument */
    target_fn* twin_target;
    int twin_adds;
    const char* twin_name; /* the raw_baseline's name in the results */
} debugger_operation_t;

/* The twins this machine can run: the software ones need a trap instruction, the hardware ones
 * Linux's perf_event_open. */
#if defined(TRAP_ASM)
#define TWIN_SET_SOFTWARE twin_set_target_software
#define TWIN_HIT_SOFTWARE twin_hit_target_software
#else
#define TWIN_SET_SOFTWARE NULL
#define TWIN_HIT_SOFTWARE NULL
#endif
#if defined(__linux__)
#define TWIN_SET_HARDWARE twin_set_target_hardware
#define TWIN_HIT_HARDWARE twin_hit_target_hardware
#else
#define TWIN_SET_HARDWARE NULL
#define TWIN_HIT_HARDWARE NULL
#endif

/* In the order of bench_operations.h. */
static const debugger_operation_t debugger_operations[] = {
    {"debugger_set_breakpoint_software", false, DEBUG_BREAKPOINT_SOFTWARE, set_target_software, 0,
     TWIN_SET_SOFTWARE, 0, "pwrite(/proc/self/mem) of a trap instruction"},
    {"debugger_set_breakpoint_hardware", false, DEBUG_BREAKPOINT_HARDWARE, set_target_hardware, 0,
     TWIN_SET_HARDWARE, 0, "perf_event_open(PERF_TYPE_BREAKPOINT)"},
    {"debugger_breakpoint_hit_software", true, DEBUG_BREAKPOINT_SOFTWARE, hit_target_software,
     HIT_SOFTWARE_ADDS, TWIN_HIT_SOFTWARE, TWIN_HIT_SOFTWARE_ADDS, "SIGTRAP of a trap instruction"},
    {"debugger_breakpoint_hit_hardware", true, DEBUG_BREAKPOINT_HARDWARE, hit_target_hardware,
     HIT_HARDWARE_ADDS, TWIN_HIT_HARDWARE, TWIN_HIT_HARDWARE_ADDS,
     "SIGTRAP of a perf_event_open breakpoint"},
};
#define DEBUGGER_OPERATIONS (sizeof(debugger_operations) / sizeof(debugger_operations[0]))

/* Why an operation has no twin here (a detail's strings must outlive the results). */
static char no_twin_reasons[DEBUGGER_OPERATIONS][sizeof(((bench_failure_t*)0)->call) +
                                                 sizeof(((bench_failure_t*)0)->message) + 2];

static const char* type_name(debug_breakpoint_type_t type)
{
    return type == DEBUG_BREAKPOINT_HARDWARE ? "DEBUG_BREAKPOINT_HARDWARE"
                                             : "DEBUG_BREAKPOINT_SOFTWARE";
}

/* Sets up the twin of `op` into `twin` and `c`; false (with `why`) when it cannot run here. */
static bool twin_open(const debugger_operation_t* op, twin_bench_t* twin, bench_case_t* c,
                      char* why, size_t why_size)
{
    *twin = (twin_bench_t){.memory = -1, .event = -1, .armed = -1};
    *c = (bench_case_t){.ctx = twin, .batch = 1};
    if (op->twin_target == NULL) {
        snprintf(why, why_size, "no raw %s breakpoint on this machine",
                 op->type == DEBUG_BREAKPOINT_HARDWARE ? "perf" : "trap-instruction");
        return false;
    }
    twin->address = (uintptr_t)op->twin_target;
    twin->target = op->twin_target;
    twin->expected = CALL_ARGUMENT + op->twin_adds;
    if (!op->hit && op->type == DEBUG_BREAKPOINT_SOFTWARE) {
        twin->memory = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
        if (twin->memory < 0) {
            snprintf(why, why_size, "open(/proc/self/mem): %s", strerror(errno));
            return false;
        }
        memcpy(twin->original, (const void*)twin->address, sizeof(twin->original));
        /* Under an emulator /proc/self/mem may be the emulator's memory, where this address is
         * something else: read before writing anything. */
        unsigned char seen[sizeof(twin->original)];
        if (pread(twin->memory, seen, sizeof(seen), (off_t)twin->address) !=
                (ssize_t)sizeof(seen) ||
            memcmp(seen, twin->original, sizeof(seen)) != 0) {
            snprintf(why, why_size, "/proc/self/mem does not show this process's code at %#lx",
                     (unsigned long)twin->address);
            return false;
        }
        c->run = twin_write_trap;
        c->finish = twin_restore_code;
        return true;
    }
    if (!op->hit) {
        c->run = twin_open_breakpoint;
        c->finish = twin_close_breakpoint;
        return true;
    }
    sigemptyset(&twin->handler.sa_mask);
    twin->handler.sa_flags = SA_SIGINFO;
    twin->handler.sa_sigaction = twin_on_trap_instruction;
    if (op->type == DEBUG_BREAKPOINT_HARDWARE) {
        twin->handler.sa_sigaction = twin_on_perf_trap;
#if defined(__linux__)
        /* Armed for the whole measurement: its target is called only in the twin's iterations. */
        twin->event = open_perf_breakpoint(twin->address);
#endif
        if (twin->event < 0) {
            snprintf(why, why_size, "perf_event_open: %s", strerror(errno));
            return false;
        }
    }
    c->prepare = twin_install_handler;
    c->run = twin_hit;
    c->finish = twin_check_hit;
    return true;
}

static void twin_close(twin_bench_t* twin)
{
    if (twin->event >= 0) {
        close(twin->event);
    }
    if (twin->memory >= 0) {
        close(twin->memory);
    }
    *twin = (twin_bench_t){.memory = -1, .event = -1, .armed = -1};
}

/* Whether a failed set is the candidate saying this machine cannot provide the kind. */
static bool not_supported_here(const bench_failure_t* failure)
{
    return failure->has_code && failure->code == MODULE_ERROR_SYSTEM_ERROR &&
           strstr(failure->message, "not supported") != NULL;
}

/* Samples the candidate's case beside the twin (when it runs here) and adds the result. */
static void sample(const bench_context_t* ctx, bench_results_t* results, size_t index,
                   const bench_case_t* subject)
{
    const debugger_operation_t* op = &debugger_operations[index];
    static twin_bench_t twin;
    bench_case_t twin_case;
    bench_failure_t failure = {0};
    char* why = no_twin_reasons[index];
    bool twin_runs = twin_open(op, &twin, &twin_case, why, sizeof(no_twin_reasons[index]));
    if (twin_runs && !probe(&twin_case, &failure)) {
        snprintf(why, sizeof(no_twin_reasons[index]), "%s: %s", failure.call, failure.message);
        twin_runs = false;
    }
    bench_run_t run = {.name = op->name,
                       .unit = "ns",
                       .batch = 1,
                       .warmup = ctx->warmup,
                       .baseline_name = twin_runs ? op->twin_name : NULL};
    bool ready = bench_series_init(&run.series, ctx->samples) &&
                 bench_series_init(&run.baseline, ctx->samples);
    if (ready && !twin_runs) {
        ready = bench_detail_init(&run.detail, 0) &&
                bench_record_add(&run.detail.summary, bench_field_string("no_platform_twin", why));
    }
    if (!ready) {
        bench_run_free(&run);
        twin_close(&twin);
        bench_results_add_unavailable(results, op->name, "runner out of memory");
        return;
    }
    bench_sample(subject, twin_runs ? &twin_case : NULL, ctx->warmup, ctx->samples, &run.series,
                 &run.baseline);
    twin_close(&twin);
    bench_results_add(results, &run);
}

/* Reports a set the probe saw fail: unavailable when the candidate says the kind is not
 * supported here, else a failed operation with the candidate's error. */
static void report_set_failure(bench_results_t* results, const bench_context_t* ctx,
                               const debugger_operation_t* op, const bench_failure_t* failure)
{
    if (not_supported_here(failure)) {
        char why[640];
        snprintf(why, sizeof(why),
                 BENCH_NOT_SUPPORTED_PREFIX
                 "module_debugger_set_breakpoint(%s) on this machine: %s",
                 type_name(op->type), failure->message);
        bench_results_add_unavailable(results, op->name, why);
        return;
    }
    bench_results_add_failed(
        results, &(bench_run_t){.name = op->name, .unit = "ns", .batch = 1, .warmup = ctx->warmup},
        failure);
}

static void measure_operation(const bench_context_t* ctx, bench_results_t* results, size_t index)
{
    const debugger_operation_t* op = &debugger_operations[index];
    const candidate_api_t* api = ctx->api;
    /* The document's functions the measurement calls: without them the candidate lacks the
     * operation itself. */
    static const char* const declared[] = {"module_debugger_create",
                                           "module_debugger_set_breakpoint"};
    /* coremod's additions the method needs (SPEC 14): a set is undone by a clear and a context
     * by a destroy; a hit is checked through its event. A candidate written from the document
     * alone lacks them, which says nothing of its speed: not supported, not a failure. */
    static const char* const additions[] = {"module_debugger_destroy",
                                            "module_debugger_clear_breakpoint",
                                            "module_debugger_wait_event"};
    char why[256];
    if (!bench_candidate_require(api, declared, 2, why, sizeof(why))) {
        bench_results_add_unavailable(results, op->name, why);
        return;
    }
    /* A set needs neither events nor their queue; a hit drains the queue. */
    if (!bench_candidate_require(api, additions, op->hit ? 3 : 2, why, sizeof(why))) {
        char message[400];
        snprintf(message, sizeof(message),
                 BENCH_NOT_SUPPORTED_PREFIX "measuring needs coremod's additions to the API: %s",
                 why);
        bench_results_add_unavailable(results, op->name, message);
        return;
    }
    static candidate_bench_t bench;
    bench = (candidate_bench_t){.api = api,
                                .type = op->type,
                                .address = (uintptr_t)op->target,
                                .target = op->target,
                                .expected = CALL_ARGUMENT + op->adds};
    bench_failure_t failure = {0};
    bench.debugger = api->module_debugger_create();
    if (bench.debugger == NULL) {
        bench_failure_from_candidate(&failure, api, "module_debugger_create");
        bench_results_add_failed(
            results,
            &(bench_run_t){.name = op->name, .unit = "ns", .batch = 1, .warmup = ctx->warmup},
            &failure);
        return;
    }
    bench_case_t subject = {.ctx = &bench, .batch = 1};
    if (!op->hit) {
        subject.run = candidate_set;
        subject.finish = candidate_clear;
        if (probe(&subject, &failure)) {
            sample(ctx, results, index, &subject);
        } else {
            report_set_failure(results, ctx, op, &failure);
        }
    } else if (!api->module_debugger_set_breakpoint(bench.debugger, bench.address, op->type)) {
        bench_failure_from_candidate(&failure, api, "module_debugger_set_breakpoint");
        report_set_failure(results, ctx, op, &failure);
    } else {
        subject.run = candidate_hit;
        subject.finish = candidate_check_hit;
        /* A breakpoint that was set but does not fire would time a plain call: fail instead. */
        if (probe(&subject, &failure)) {
            sample(ctx, results, index, &subject);
        } else {
            bench_results_add_failed(
                results,
                &(bench_run_t){.name = op->name, .unit = "ns", .batch = 1, .warmup = ctx->warmup},
                &failure);
        }
    }
    /* Destroying the context clears its breakpoint (SPEC 14). */
    api->module_debugger_destroy(bench.debugger);
}

void bench_family_debugger(const bench_context_t* ctx, bench_results_t* results)
{
    for (size_t i = 0; i < DEBUGGER_OPERATIONS; i++) {
        measure_operation(ctx, results, i);
    }
}
