/*
 * a64_code.h — AArch64 code buffers built word by word for the JIT cases (SPEC 10.5–10.13),
 * with the figures of SPEC 10.6 counted as they are emitted, so that every buffer's expected
 * hints follow from its construction, not from a classifier.
 *
 * Each emitter writes one kind of real instruction word (encodings checked with GNU as for
 * aarch64-linux-gnu) that falls into exactly the SPEC 10.6 categories its name says:
 *   a64_other    ADD x0, x0, #1     (data processing, immediate: no category)
 *   a64_simd     FADD v0.4s, v1.4s, v2.4s                       F
 *   a64_load     LDR x0, [x1]                                   M
 *   a64_store    STR x0, [x1]                                   M
 *   a64_loop     B.NE back over the `body` words emitted before it: B, S += body, C
 *   a64_forward  B.NE +2 (a forward conditional branch)         C
 *   a64_call     BL +1                                          K
 *   a64_back_call BL -1 (a backward call: a call, never a loop)  K
 *   a64_ret      RET (an indirect branch: no SPEC 10.6 figure)
 */
#ifndef CONFORMANCE_A64_CODE_H
#define CONFORMANCE_A64_CODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jit_optimization.h"

typedef struct {
    uint32_t* words; /* little-endian instruction words (case memory) */
    size_t count;
    size_t capacity;
    /* SPEC 10.6 figures of what was emitted */
    uint64_t loops, loop_words, conditional, calls, simd_fp, memory;
} a64_code_t;

/* An empty buffer with room for `capacity` words, released at the end of the case. */
a64_code_t a64_new(size_t capacity);

void a64_other(a64_code_t* code, size_t times);
void a64_simd(a64_code_t* code, size_t times);
void a64_load(a64_code_t* code, size_t times);
void a64_store(a64_code_t* code, size_t times);
void a64_loop(a64_code_t* code, uint32_t body_words); /* 1 <= body_words <= 262143 */
void a64_forward(a64_code_t* code, size_t times);
void a64_call(a64_code_t* code, size_t times);
void a64_back_call(a64_code_t* code, size_t times);
void a64_ret(a64_code_t* code, size_t times);

/* Size in bytes of the buffer (count * 4). */
size_t a64_bytes(const a64_code_t* code);

/* The machine facts SPEC 10.12 and 10.13 read (13.4). */
typedef struct {
    bool heterogeneous;
    uint32_t p_cores, e_cores;
} a64_machine_t;

/* The hints SPEC 10.7–10.13 give for the buffer's figures on `machine`: the suite's own statement
 * of those clauses, independent of any implementation. */
jit_compilation_hints_t a64_expected_hints(const a64_code_t* code, const a64_machine_t* machine);

/* Fails the case, naming `what` and each differing field, unless `got` equals `expected`. */
void a64_expect_hints(const jit_compilation_hints_t* got, const jit_compilation_hints_t* expected,
                      const char* what);

#endif /* CONFORMANCE_A64_CODE_H */
