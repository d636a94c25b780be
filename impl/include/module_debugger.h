/*
 * module_debugger.h — Debugging System API (document: "Core Module System API", section
 * "Debugging System API").
 *
 * The first part is the document's declarations, verbatim. The second part is what the document
 * leaves out and an in-process debugger needs, in the document's style (conformance/SPEC.md,
 * section 14, says what each means and whose rule it is): destroying a context, clearing,
 * observing hits (events, hit counts), the machine's real capabilities, and the x86-64 register
 * state that arm64_processor_state_t cannot describe.
 *
 * The debugger is in-process and does not stop threads: a thread that hits a breakpoint or
 * touches a watched range records an event (with its registers) and goes on. Events queue in
 * the context until module_debugger_wait_event takes them.
 */
#ifndef COREMOD_MODULE_DEBUGGER_H
#define COREMOD_MODULE_DEBUGGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- The document's declarations ----------------------------------------------------------- */

// Module debugger context
typedef struct module_debugger_context_t module_debugger_context_t;

// Breakpoint types
typedef enum {
    DEBUG_BREAKPOINT_SOFTWARE = 0, // Software breakpoint
    DEBUG_BREAKPOINT_HARDWARE = 1  // Hardware breakpoint
} debug_breakpoint_type_t;

// Watchpoint types
typedef enum {
    DEBUG_WATCHPOINT_READ = 1,  // Read watchpoint
    DEBUG_WATCHPOINT_WRITE = 2, // Write watchpoint
    DEBUG_WATCHPOINT_ACCESS = 3 // Read/write watchpoint
} debug_watchpoint_type_t;

// ARM64 processor state
typedef struct {
    uint64_t x[31];    // General-purpose registers x0-x30
    uint64_t sp;       // Stack pointer
    uint64_t pc;       // Program counter
    uint64_t pstate;   // Processor state
    uint64_t v[32][2]; // NEON vector registers (128-bit)
    uint64_t fpcr;     // Floating-point control register
    uint64_t fpsr;     // Floating-point status register
} arm64_processor_state_t;

module_debugger_context_t* module_debugger_create(void);

bool module_debugger_set_breakpoint(module_debugger_context_t* ctx, uintptr_t address,
                                    debug_breakpoint_type_t type);

bool module_debugger_set_watchpoint(module_debugger_context_t* ctx, uintptr_t address, size_t size,
                                    debug_watchpoint_type_t type);

/* The registers of the thread at the last stop: the event module_debugger_wait_event returned
 * last on this context. Filled exactly on AArch64. On x86-64 this struct cannot describe the
 * machine: the call fails with MODULE_ERROR_SYSTEM_ERROR ("not supported on x86-64"), and
 * module_debugger_get_x86_64_state gives the native state. */
bool module_debugger_get_processor_state(module_debugger_context_t* ctx,
                                         arm64_processor_state_t* state);

/* ---- coremod's additions (SPEC 14) --------------------------------------------------------- */

/* Frees the context, clearing every breakpoint and watchpoint it set. NULL does nothing. */
void module_debugger_destroy(module_debugger_context_t* ctx);

/* Removes the breakpoint at `address` (of either type), restoring the original code. */
bool module_debugger_clear_breakpoint(module_debugger_context_t* ctx, uintptr_t address);

/* Removes the watchpoint that starts at `address`. */
bool module_debugger_clear_watchpoint(module_debugger_context_t* ctx, uintptr_t address);

typedef enum {
    DEBUG_EVENT_BREAKPOINT = 1, // A thread reached a breakpoint
    DEBUG_EVENT_WATCHPOINT = 2  // A thread accessed a watched range
} debug_event_type_t;

typedef struct {
    debug_event_type_t type;
    uintptr_t address; // The breakpoint's or watchpoint's address, as set
    uintptr_t
        access_address; // Watchpoints: the byte accessed, when the machine tells (else address)
    debug_watchpoint_type_t access; // Watchpoints: READ or WRITE when known, else ACCESS
    uintptr_t pc;       // Breakpoints: the address; watchpoints: near the accessing instruction
    uint64_t thread_id; // The kernel's thread id (Linux: gettid())
    uint64_t sequence;  // 1, 2, 3, ... per context, in the order hits were recorded
    uint64_t dropped_before; // Events lost to a full queue just before this one
} debug_event_t;

/* Takes the oldest queued event. Waits up to `timeout_ms` (0: only looks) and fails with
 * MODULE_ERROR_RESOURCE_EXHAUSTED ("no event") when none arrived in time. */
bool module_debugger_wait_event(module_debugger_context_t* ctx, debug_event_t* event,
                                uint32_t timeout_ms);

/* How many times the breakpoint or watchpoint at `address` was hit since it was set (counted
 * even when the event queue was full). */
bool module_debugger_get_hit_count(module_debugger_context_t* ctx, uintptr_t address,
                                   uint64_t* count);

typedef struct {
    bool software_breakpoints;        // Patched trap instructions work
    bool hardware_breakpoints;        // Debug-register breakpoints deliver traps (self-tested)
    bool hardware_watchpoints;        // Debug-register watchpoints deliver traps (self-tested)
    bool hardware_read_watchpoints;   // The debug registers can watch reads alone
    bool page_watchpoints;            // Ranges of any size, by page protection
    uint32_t hardware_slots;          // Debug registers one thread can use at once (0: none)
    uint32_t hardware_watch_max_size; // Largest range one debug register watches (bytes)
    bool arm64_processor_state;       // module_debugger_get_processor_state can succeed
    bool x86_64_processor_state;      // module_debugger_get_x86_64_state can succeed
} debug_capabilities_t;

/* What this machine really provides, found by self-tests when the context was created. */
bool module_debugger_get_capabilities(module_debugger_context_t* ctx, debug_capabilities_t* caps);

// x86-64 processor state (the native counterpart of arm64_processor_state_t)
typedef struct {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rip;
    uint64_t rflags;
    uint64_t xmm[16][2]; // SSE registers (128-bit)
    uint32_t mxcsr;
    uint16_t fcw; // x87 control word
    uint16_t fsw; // x87 status word
} x86_64_processor_state_t;

/* The x86-64 registers at the last stop (as module_debugger_get_processor_state); fails with
 * MODULE_ERROR_SYSTEM_ERROR ("not supported") on other machines. */
bool module_debugger_get_x86_64_state(module_debugger_context_t* ctx,
                                      x86_64_processor_state_t* state);

#ifdef __cplusplus
}
#endif

#endif /* COREMOD_MODULE_DEBUGGER_H */
