/* a64_code.c — see a64_code.h. */
#include "a64_code.h"

#include <stdio.h>
#include <string.h>

#include "case_context.h"
#include "case_memory.h"

a64_code_t a64_new(size_t capacity)
{
    a64_code_t code = {0};
    code.words = case_alloc((capacity > 0 ? capacity : 1) * sizeof(uint32_t));
    code.capacity = capacity;
    return code;
}

static void emit(a64_code_t* code, uint32_t word, size_t times)
{
    if (code->count + times > code->capacity) {
        conformance_fail("harness: a64 buffer of %zu words is full", code->capacity);
    }
    for (size_t i = 0; i < times; i++) {
        code->words[code->count++] = word; /* the suite runs on little-endian hosts only */
    }
}

void a64_other(a64_code_t* code, size_t times)
{
    emit(code, 0x91000400u, times);
}

void a64_simd(a64_code_t* code, size_t times)
{
    emit(code, 0x4E22D420u, times);
    code->simd_fp += times;
}

void a64_load(a64_code_t* code, size_t times)
{
    emit(code, 0xF9400020u, times);
    code->memory += times;
}

void a64_store(a64_code_t* code, size_t times)
{
    emit(code, 0xF9000020u, times);
    code->memory += times;
}

void a64_loop(a64_code_t* code, uint32_t body_words)
{
    /* B.NE with imm19 = -body_words: back to the first word of the body. */
    uint32_t imm19 = (uint32_t)(-(int32_t)body_words) & 0x7FFFFu;
    emit(code, 0x54000001u | imm19 << 5, 1);
    code->loops++;
    code->loop_words += body_words;
    code->conditional++;
}

void a64_forward(a64_code_t* code, size_t times)
{
    emit(code, 0x54000041u, times);
    code->conditional += times;
}

void a64_call(a64_code_t* code, size_t times)
{
    emit(code, 0x94000001u, times);
    code->calls += times;
}

void a64_back_call(a64_code_t* code, size_t times)
{
    emit(code, 0x97FFFFFFu, times);
    code->calls += times;
}

void a64_ret(a64_code_t* code, size_t times)
{
    emit(code, 0xD65F03C0u, times);
}

size_t a64_bytes(const a64_code_t* code)
{
    return code->count * sizeof(uint32_t);
}

jit_compilation_hints_t a64_expected_hints(const a64_code_t* code, const a64_machine_t* machine)
{
    uint64_t n = code->count, b = code->loops, s = code->loop_words, c = code->conditional;
    uint64_t k = code->calls, f = code->simd_fp, m = code->memory;
    jit_compilation_hints_t h;
    memset(&h, 0, sizeof(h));
    h.enable_loop_unrolling = b >= 1 && s <= 32 * b;                         /* 10.7 */
    h.enable_vectorization = 8 * f >= n || (b >= 1 && k == 0 && 4 * m >= n); /* 10.8 */
    h.enable_prefetch_hints = b >= 1 && 4 * m >= n;                          /* 10.9 */
    h.enable_branch_prediction = 8 * c >= n;                                 /* 10.10 */
    if (n < 16) {                                                            /* 10.11 */
        h.optimization_level = 0;
    } else if (b == 0 || 16 * k >= n) {
        h.optimization_level = 1;
    } else if (n <= 16384 && (h.enable_loop_unrolling || h.enable_vectorization)) {
        h.optimization_level = 3;
    } else {
        h.optimization_level = 2;
    }
    if (!machine->heterogeneous) { /* 10.12 */
        h.target_core_type = 0;
    } else if (h.optimization_level == 3) {
        h.target_core_type = 1;
    } else if (b == 0) {
        h.target_core_type = 2;
    } else {
        h.target_core_type = 0;
    }
    if (h.target_core_type == 1) { /* 10.13 */
        h.thermal_budget = 1.0f;
    } else if (h.target_core_type == 2) {
        h.thermal_budget = 0.25f;
    } else if (machine->heterogeneous) {
        h.thermal_budget = (float)machine->p_cores / (float)(machine->p_cores + machine->e_cores);
    } else {
        h.thermal_budget = h.optimization_level >= 2 ? 1.0f : 0.5f;
    }
    return h;
}

void a64_expect_hints(const jit_compilation_hints_t* got, const jit_compilation_hints_t* expected,
                      const char* what)
{
    char diff[1024] = "";
    size_t used = 0;
#define A64_FIELD(field, fmt, cast)                                                                \
    if (got->field != expected->field) {                                                           \
        used += (size_t)snprintf(diff + used, used < sizeof(diff) ? sizeof(diff) - used : 0,       \
                                 " " #field " " fmt " (expected " fmt ");", (cast)got->field,      \
                                 (cast)expected->field);                                           \
    }
    A64_FIELD(optimization_level, "%u", unsigned)
    A64_FIELD(enable_vectorization, "%d", int)
    A64_FIELD(enable_loop_unrolling, "%d", int)
    A64_FIELD(enable_branch_prediction, "%d", int)
    A64_FIELD(enable_prefetch_hints, "%d", int)
    A64_FIELD(target_core_type, "%u", unsigned)
    A64_FIELD(thermal_budget, "%.9g", double)
#undef A64_FIELD
    if (used > 0) {
        conformance_fail("%s: hints differ from SPEC 10.7-10.13:%s", what, diff);
    }
}
