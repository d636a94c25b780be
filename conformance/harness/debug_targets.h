/*
 * debug_targets.h — functions for the debugger's cases (SPEC 14) to set breakpoints on.
 *
 * A breakpoint goes at a function's first instruction, so what that instruction is decides what
 * the debugger must get right: a plain one, or one that reads the program counter (x86-64: a
 * RIP-relative load, call rel32, jcc; AArch64: adrp, adr, ldr literal, bl, cbz), which an
 * implementation executing it out of line must relocate (SPEC 14.4). The PC-relative targets are
 * written in assembly (debug_targets_<arch>.S) so that their first instruction is exactly that;
 * each has a C twin giving the result it must return.
 */
#ifndef CONFORMANCE_DEBUG_TARGETS_H
#define CONFORMANCE_DEBUG_TARGETS_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char* name;     /* e.g. "call rel32 (x86-64)" */
    uintptr_t address;    /* the function's entry: where the breakpoint goes */
    int (*call)(int x);   /* calls the target (through a trampoline where its first instruction
                             needs set-up, e.g. the flags a jcc tests) */
    int (*expected)(int); /* the C twin: what call(x) must return */
} debug_target_t;

/* The targets of this machine: the plain C function first, then the PC-relative ones. */
size_t debug_targets(const debug_target_t** targets);

/* f(int x) of the processor-state cases: returns x * 3 + 1. Its address is debug_targets()[0]. */
int debug_target_plain(int x);

/* Distinct functions for the slot-exhaustion case: debug_slot_call(i, x) returns x + i + 1. More
 * than any machine's debug registers (x86-64: 4 execute slots; AArch64: at most 16). */
#define DEBUG_SLOT_FUNCTIONS 32
uintptr_t debug_slot_address(size_t i);
int debug_slot_call(size_t i, int x);

#endif /* CONFORMANCE_DEBUG_TARGETS_H */
