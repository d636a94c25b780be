/*
 * debugger_displaced.h — executing an instruction somewhere other than where it lives (SPEC 14).
 *
 * Breakpoints: at set time the instruction under the trap is decoded with Capstone and either
 * copied into a trampoline (PC-relative memory operands adjusted) followed by a jump back, or,
 * for branches and PC-relative computations that a copy cannot express, described so that the
 * signal handler can emulate it by writing the ucontext. Resuming is then async-signal-safe and
 * has no per-hit state: any number of threads can run the same trampoline at once.
 *
 * Page watches: the faulting instruction is any load or store, unknown until the fault, so it is
 * stepped with the page open and a trap after it: x86-64 sets the TF flag (the CPU traps after
 * one instruction); AArch64 copies the 4-byte instruction into the faulting thread's own step
 * page followed by a brk. Neither decodes in the handler.
 */
#ifndef COREMOD_DEBUGGER_DISPLACED_H
#define COREMOD_DEBUGGER_DISPLACED_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errors.h"

/* How the handler resumes a displaced instruction. */
typedef enum {
    DISPLACED_RUN_TRAMPOLINE = 1, /* pc = trampoline (the copy jumps back itself) */
    DISPLACED_JUMP,               /* pc = target */
    DISPLACED_CALL,               /* push / link the next address, pc = target */
    DISPLACED_CONDITIONAL,        /* pc = condition ? target : next */
    DISPLACED_LOOP,               /* x86 loop/loope/loopne: count down rcx, then as above */
    DISPLACED_COUNT_ZERO,         /* x86 jrcxz/jecxz, AArch64 cbz/cbnz */
    DISPLACED_TEST_BIT,           /* AArch64 tbz/tbnz */
    DISPLACED_SET_REGISTER,       /* AArch64 adr/adrp: register = target, pc = next */
    DISPLACED_LOAD_LITERAL,       /* AArch64 ldr/ldrsw/ldr (SIMD) literal, prfm literal */
    DISPLACED_CALL_REGISTER,      /* AArch64 blr: link, pc = register */
} displaced_kind_t;

typedef struct {
    uintptr_t address;    /* where the instruction lives */
    uintptr_t next;       /* the instruction after it */
    uintptr_t trampoline; /* DISPLACED_RUN_TRAMPOLINE: the slot; else 0 */
    uintptr_t target;     /* branch target, or the address a PC-relative form computes */
    uint8_t length;       /* bytes of the instruction */
    uint8_t original[15]; /* its bytes, as found */
    uint8_t kind;         /* displaced_kind_t */
    uint8_t condition;    /* x86 condition code (0-15) / AArch64 cond (0-15) */
    bool negate;          /* cbnz/tbnz/loopne...: taken when the test fails */
    uint8_t reg;          /* AArch64 register number (31: zero register), x86: unused */
    uint8_t width;        /* bytes of the register or of the load */
    uint8_t bit;          /* tbz/tbnz bit number */
    bool sign_extend;     /* ldrsw literal */
    bool vector;          /* a SIMD&FP register (load literal) */
    bool prefetch;        /* prfm literal: nothing to load */
    char mnemonic[24];    /* for messages */
} displaced_insn_t;

/* Set time, sites lock held: decodes the instruction at `address` and prepares its out-of-line
 * execution. false with `failure` set (INVALID_PARAMETER naming the instruction when it cannot
 * be displaced; SYSTEM_ERROR when no trampoline memory could be mapped). */
bool displaced_prepare(uintptr_t address, displaced_insn_t* insn, coremod_failure_t* failure);

/* Sites lock held: frees what displaced_prepare took. */
void displaced_release(displaced_insn_t* insn);

/* Async-signal-safe: resumes the thread of `ucontext` as if it had executed the instruction. */
void displaced_resume(const displaced_insn_t* insn, void* ucontext);

/* The trap instruction a software breakpoint writes, and how long it is. */
size_t displaced_breakpoint_trap(uint8_t* bytes);

/* Async-signal-safe, in a SIGTRAP handler: the address of the trap instruction that raised it,
 * when the pc says it was a software trap (x86: rip - 1 after int3; AArch64: pc at the brk). */
uintptr_t displaced_trap_address(const void* ucontext);

/* Async-signal-safe: whether the brk at `address` is the breakpoint's own (AArch64 checks the
 * immediate; x86 checks the 0xCC). */
bool displaced_is_breakpoint_trap(uintptr_t address);

/* ---- Page-watch steps ---------------------------------------------------------------------- */

/* The fault's pc, and whether it was a write (1/0; -1 when unknown) for a thread holding step
 * slot `slot` (x86-64: the page-fault error code; AArch64: the ESR record when the frame has one).
 */
uintptr_t displaced_fault_pc(const void* ucontext);
int displaced_fault_is_write(size_t slot, const void* ucontext);

/* Set time (once): memory for `count` step slots. */
bool displaced_step_init(size_t count);

/* Async-signal-safe: makes the thread of `ucontext` execute its current instruction once and
 * trap right after (in step slot `slot`). */
void displaced_step_begin(size_t slot, void* ucontext);

/* Async-signal-safe, in the SIGTRAP handler: whether this trap ends a step of slot `slot`; if so
 * the thread resumes after the stepped instruction. */
bool displaced_step_end(size_t slot, const siginfo_t* info, void* ucontext);

#endif /* COREMOD_DEBUGGER_DISPLACED_H */
