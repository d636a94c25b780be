/*
 * numa_optimization.h — NUMA Placement API (document: "Core Module System API", section
 * "NUMA Placement API").
 *
 * Types and functions are exactly those of the document; numa_optimization_destroy, which the
 * document's examples call, is added, and so are numa_release_placement and numa_apply_placement
 * (coremod additions). The placement policy and load_balancing_score are fixed in
 * conformance/SPEC.md.
 */
#ifndef COREMOD_NUMA_OPTIMIZATION_H
#define COREMOD_NUMA_OPTIMIZATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// NUMA optimization context
typedef struct numa_optimization_context_t numa_optimization_context_t;

// NUMA topology information
typedef struct {
    uint32_t p_core_count;        // Performance core count
    uint32_t e_core_count;        // Efficiency core count
    uint32_t total_cores;         // Total core count
    uint32_t numa_domains;        // Number of NUMA domains
    bool has_heterogeneous_cores; // Heterogeneous core architecture
} numa_topology_info_t;

// Module types for placement decisions
typedef enum {
    MODULE_TYPE_COMPUTE_INTENSIVE = 0, // CPU-bound workload
    MODULE_TYPE_MEMORY_INTENSIVE = 1,  // Memory-bound workload
    MODULE_TYPE_IO_INTENSIVE = 2,      // I/O-bound workload
    MODULE_TYPE_BACKGROUND = 3         // Background processing
} module_type_t;

// Module placement request
typedef struct {
    module_type_t module_type;        // Type of module
    uint32_t priority;                // Priority (0-100)
    uint32_t memory_usage_kb;         // Expected memory usage
    uint32_t cpu_utilization_percent; // Expected CPU utilization
} module_placement_request_t;

// Core types
typedef enum {
    CORE_TYPE_PERFORMANCE = 0, // P-core
    CORE_TYPE_EFFICIENCY = 1   // E-core
} core_type_t;

// Module placement result
typedef struct {
    uint32_t assigned_core_id;  // Assigned core ID
    core_type_t core_type;      // Type of assigned core
    uint32_t numa_domain;       // NUMA domain
    float load_balancing_score; // Load balancing score (0.0-1.0)
} module_placement_result_t;

numa_optimization_context_t* numa_optimization_create(void);

/* Not declared by the document, which calls it in its complete example: frees the context and
 * every placement it made. NULL is accepted and does nothing. */
void numa_optimization_destroy(numa_optimization_context_t* ctx);

bool numa_get_topology_info(numa_optimization_context_t* ctx, numa_topology_info_t* topology);

bool numa_place_module(numa_optimization_context_t* ctx, const module_placement_request_t* request,
                       module_placement_result_t* result);

/* Not in the document (coremod additions, SPEC 12.9): releases a placement this context made,
 * giving back the load and memory it added, so later placements see it gone. `placement` is
 * the result numa_place_module returned; the most recent live placement with exactly that
 * result is released. False (MODULE_ERROR_INVALID_PARAMETER) if there is none. */
bool numa_release_placement(numa_optimization_context_t* ctx,
                            const module_placement_result_t* placement);

/* Not in the document (coremod addition, SPEC 12.10): applies a live placement of this context
 * to the calling thread — on Linux, sched_setaffinity to the assigned core; on macOS, which has
 * no affinity API, the quality-of-service class that keeps the thread on that kind of core.
 * Fails with MODULE_ERROR_SYSTEM_ERROR when the context describes a recorded machine (replay:
 * its CPUs are not this machine's) or the OS refuses. */
bool numa_apply_placement(numa_optimization_context_t* ctx,
                          const module_placement_result_t* placement);

#ifdef __cplusplus
}
#endif

#endif /* COREMOD_NUMA_OPTIMIZATION_H */
