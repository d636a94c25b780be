/*
 * cache_optimization.h — Cache Optimization API (document: "Core Module System API", section
 * "Cache Optimization API").
 *
 * Types and functions are exactly those of the document; cache_optimization_destroy and
 * cache_apply_prefetch_pattern, which the document's examples call, are added. The rules that
 * derive a prefetch pattern are fixed in conformance/SPEC.md.
 */
#ifndef COREMOD_CACHE_OPTIMIZATION_H
#define COREMOD_CACHE_OPTIMIZATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Cache optimization context
typedef struct cache_optimization_context_t cache_optimization_context_t;

// Cache hierarchy information
typedef struct {
    uint32_t l1_cache_size;      // L1 cache size in bytes
    uint32_t l1_cache_line_size; // L1 cache line size (64 bytes on Apple Silicon)
    uint32_t l1_associativity;   // L1 cache associativity
    uint32_t l2_cache_size;      // L2 cache size in bytes
    uint32_t l2_cache_line_size; // L2 cache line size
    uint32_t l2_associativity;   // L2 cache associativity
    uint32_t l3_cache_size;      // L3 cache size (if available)
    bool has_prefetcher;         // Hardware prefetcher available
} cache_hierarchy_info_t;

// Memory access patterns
typedef enum {
    CACHE_ACCESS_SEQUENTIAL = 0, // Sequential access pattern
    CACHE_ACCESS_RANDOM = 1,     // Random access pattern
    CACHE_ACCESS_STRIDED = 2,    // Strided access pattern
    CACHE_ACCESS_TEMPORAL = 3    // Temporal locality pattern
} cache_access_pattern_t;

// Prefetch pattern
typedef struct {
    uint32_t prefetch_distance;     // Prefetch distance in cache lines
    uint32_t prefetch_stride;       // Stride between prefetches
    cache_access_pattern_t pattern; // Access pattern type
    bool use_neon_prefetch;         // Use NEON-optimized prefetch
} cache_prefetch_pattern_t;

cache_optimization_context_t* cache_optimization_create(void);

/* Not declared by the document, which calls it in its complete example: frees the context.
 * NULL is accepted and does nothing. */
void cache_optimization_destroy(cache_optimization_context_t* ctx);

bool cache_get_hierarchy_info(cache_optimization_context_t* ctx, cache_hierarchy_info_t* info);

bool cache_generate_prefetch_pattern(cache_optimization_context_t* ctx, const void* data_ptr,
                                     size_t data_size, cache_access_pattern_t pattern,
                                     cache_prefetch_pattern_t* prefetch_pattern);

/* Not declared by the document, which calls it in its complete example right after
 * cache_generate_prefetch_pattern: issues the prefetches the pattern describes (SPEC). */
bool cache_apply_prefetch_pattern(cache_optimization_context_t* ctx,
                                  const cache_prefetch_pattern_t* pattern);

#ifdef __cplusplus
}
#endif

#endif /* COREMOD_CACHE_OPTIMIZATION_H */
