/*
 * jit_optimization.h — JIT Optimization API (document: "Core Module System API", section
 * "JIT Optimization API").
 *
 * Types and functions are exactly those of the document; jit_optimization_destroy, which the
 * document's examples call, is added. What each field means and how hints are derived is fixed in
 * conformance/SPEC.md.
 */
#ifndef COREMOD_JIT_OPTIMIZATION_H
#define COREMOD_JIT_OPTIMIZATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// JIT optimization context
typedef struct jit_optimization_context_t jit_optimization_context_t;

// Apple Silicon CPU information
typedef struct {
    uint32_t generation;     // 1=M1, 2=M2, 3=M3, 4=M4
    uint32_t p_core_count;   // Performance core count
    uint32_t e_core_count;   // Efficiency core count
    uint32_t gpu_core_count; // GPU core count
    uint64_t l1_cache_size;  // L1 cache size per core
    uint64_t l2_cache_size;  // L2 cache size per core
    uint64_t l3_cache_size;  // L3 cache size (if available)
    bool has_amx;            // Apple Matrix Extension support
    bool has_lse;            // Large System Extensions support
} apple_silicon_info_t;

// JIT compilation hints
typedef struct {
    uint32_t optimization_level;   // 0-3 optimization level
    bool enable_vectorization;     // Enable NEON vectorization
    bool enable_loop_unrolling;    // Enable loop unrolling
    bool enable_branch_prediction; // Enable branch prediction hints
    bool enable_prefetch_hints;    // Enable cache prefetch hints
    uint32_t target_core_type;     // 0=auto, 1=P-core, 2=E-core
    float thermal_budget;          // Thermal budget (0.0-1.0)
} jit_compilation_hints_t;

jit_optimization_context_t* jit_optimization_create(void);

/* Not declared by the document, which calls it in its complete example: frees the context.
 * NULL is accepted and does nothing. */
void jit_optimization_destroy(jit_optimization_context_t* ctx);

bool jit_get_apple_silicon_info(jit_optimization_context_t* ctx, apple_silicon_info_t* info);

bool jit_generate_compilation_hints(jit_optimization_context_t* ctx, const uint8_t* code_buffer,
                                    size_t code_size, jit_compilation_hints_t* hints);

#ifdef __cplusplus
}
#endif

#endif /* COREMOD_JIT_OPTIMIZATION_H */
