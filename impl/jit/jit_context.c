/*
 * jit_context.c — the JIT Optimization API (SPEC 10): contexts, the machine's Apple Silicon view,
 * and compilation hints.
 *
 * A context is a snapshot: the views of the machine it was created under are computed once, at
 * creation, from the immutable topology table (SPEC 10.3, 13.3), so every query is a copy. Hints
 * run the instruction classifier kernel (impl/asm/insn_classify.h) outside any lock: only the
 * machine facts are read under the handle table's read lock.
 */
#include <stdlib.h>

#include "insn_classify.h"
#include "jit_hint_rules.h"
#include "optimization_context.h"
#include "platform_topology_views.h"

typedef struct {
    apple_silicon_info_t apple; /* SPEC 10.4: the view at creation */
    jit_machine_t machine;      /* SPEC 10.12, 10.13 */
} jit_context_t;

COREMOD_PUBLIC jit_optimization_context_t* jit_optimization_create(void)
{
    static const char operation[] = "jit_optimization_create";
    const platform_topology_t* topology = NULL;
    if (!optimization_topology_acquire(operation, &topology)) {
        return NULL;
    }
    jit_context_t* context = malloc(sizeof(*context));
    if (context == NULL) {
        error_fail(MODULE_ERROR_OUT_OF_MEMORY, "%s: out of memory for the context", operation);
        return NULL;
    }
    platform_view_apple_silicon(topology, &context->apple);
    numa_topology_info_t numa;
    platform_view_numa(topology, &numa);
    context->machine = (jit_machine_t){
        .heterogeneous = numa.has_heterogeneous_cores,
        .p_cores = numa.p_core_count,
        .e_cores = numa.e_core_count,
    };
    uintptr_t token = optimization_context_publish(operation, HANDLE_KIND_JIT_CONTEXT, context);
    if (token == 0) {
        free(context);
        return NULL;
    }
    error_succeed();
    return (jit_optimization_context_t*)token;
}

COREMOD_PUBLIC void jit_optimization_destroy(jit_optimization_context_t* ctx)
{
    if (ctx == NULL) {
        return; /* the header's promise: NULL does nothing, last error included */
    }
    jit_context_t* context =
        optimization_context_retire("jit_optimization_destroy", ctx, HANDLE_KIND_JIT_CONTEXT);
    if (context != NULL) {
        free(context);
        error_succeed();
    }
}

COREMOD_PUBLIC bool jit_get_apple_silicon_info(jit_optimization_context_t* ctx,
                                               apple_silicon_info_t* info)
{
    static const char operation[] = "jit_get_apple_silicon_info";
    if (info == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "%s: info is NULL", operation);
        return false;
    }
    const jit_context_t* context =
        optimization_context_enter(operation, ctx, HANDLE_KIND_JIT_CONTEXT);
    if (context == NULL) {
        return false;
    }
    *info = context->apple;
    optimization_context_leave();
    error_succeed();
    return true;
}

COREMOD_PUBLIC bool jit_generate_compilation_hints(jit_optimization_context_t* ctx,
                                                   const uint8_t* code_buffer, size_t code_size,
                                                   jit_compilation_hints_t* hints)
{
    static const char operation[] = "jit_generate_compilation_hints";
    if (code_buffer == NULL || hints == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "%s: %s is NULL", operation,
                   code_buffer == NULL ? "code_buffer" : "hints");
        return false;
    }
    /* SPEC 10.5: AArch64 code is a sequence of 4-byte words; anything else is not code. */
    if (code_size == 0 || code_size % 4 != 0) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER,
                   "%s: code_size %zu is not a positive multiple "
                   "of 4 (AArch64 instructions are 4-byte words)",
                   operation, code_size);
        return false;
    }
    const jit_context_t* context =
        optimization_context_enter(operation, ctx, HANDLE_KIND_JIT_CONTEXT);
    if (context == NULL) {
        return false;
    }
    jit_machine_t machine = context->machine;
    optimization_context_leave();

    coremod_insn_counts_t counts;
    if (!coremod_insn_classify(code_buffer, code_size / 4, &counts)) {
        /* Cannot happen with the checks above; kept so a kernel contract change is not silent. */
        error_fail(MODULE_ERROR_SYSTEM_ERROR, "%s: the instruction classifier refused the buffer",
                   operation);
        return false;
    }
    jit_hints_from_counts(&counts, &machine, hints);
    error_succeed();
    return true;
}
