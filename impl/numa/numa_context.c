/*
 * numa_context.c — the NUMA Placement API (SPEC 12): contexts, the topology view, placing,
 * releasing and applying placements.
 *
 * Each context owns a numa_state_t (numa_placement.h) built from the topology snapshot taken at
 * creation; its lock serialises placements and releases, so concurrent callers see one
 * consistent account of the load (SPEC 12.12). Lock order: the handle table's read lock (held
 * while the context is in use, optimization_context.h), then the context's lock.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "numa_placement.h"
#include "numa_thread_apply.h"
#include "optimization_context.h"
#include "platform_topology_views.h"

typedef struct {
    numa_topology_info_t info; /* SPEC 12.2: the view at creation */
    bool replay;               /* created under a recorded machine (SPEC 12.10) */
    char source[96];           /* for messages: "replay-sysfs", ... */
    pthread_mutex_t lock;
    numa_state_t state;
} numa_context_t;

static void context_free(numa_context_t* context)
{
    numa_state_free(&context->state);
    pthread_mutex_destroy(&context->lock);
    free(context);
}

COREMOD_PUBLIC numa_optimization_context_t* numa_optimization_create(void)
{
    static const char operation[] = "numa_optimization_create";
    const platform_topology_t* topology = NULL;
    if (!optimization_topology_acquire(operation, &topology)) {
        return NULL;
    }
    numa_context_t* context = calloc(1, sizeof(*context));
    if (context == NULL || !numa_state_init(&context->state, topology)) {
        free(context);
        error_fail(MODULE_ERROR_OUT_OF_MEMORY, "%s: out of memory for the context", operation);
        return NULL;
    }
    platform_view_numa(topology, &context->info);
    context->replay = topology->source_kind == PLATFORM_SOURCE_REPLAY_SYSFS ||
                      topology->source_kind == PLATFORM_SOURCE_REPLAY_SYSCTL;
    snprintf(context->source, sizeof(context->source), "%s",
             platform_source_kind_name(topology->source_kind));
    pthread_mutex_init(&context->lock, NULL);
    uintptr_t token = optimization_context_publish(operation, HANDLE_KIND_NUMA_CONTEXT, context);
    if (token == 0) {
        context_free(context);
        return NULL;
    }
    error_succeed();
    return (numa_optimization_context_t*)token;
}

COREMOD_PUBLIC void numa_optimization_destroy(numa_optimization_context_t* ctx)
{
    if (ctx == NULL) {
        return; /* the header's promise: NULL does nothing, last error included */
    }
    numa_context_t* context =
        optimization_context_retire("numa_optimization_destroy", ctx, HANDLE_KIND_NUMA_CONTEXT);
    if (context != NULL) {
        context_free(context);
        error_succeed();
    }
}

COREMOD_PUBLIC bool numa_get_topology_info(numa_optimization_context_t* ctx,
                                           numa_topology_info_t* topology)
{
    static const char operation[] = "numa_get_topology_info";
    if (topology == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "%s: topology is NULL", operation);
        return false;
    }
    const numa_context_t* context =
        optimization_context_enter(operation, ctx, HANDLE_KIND_NUMA_CONTEXT);
    if (context == NULL) {
        return false;
    }
    *topology = context->info;
    optimization_context_leave();
    error_succeed();
    return true;
}

/* SPEC 12.3; reports and returns false when the request is bad. */
static bool check_request(const module_placement_request_t* request,
                          const module_placement_result_t* result)
{
    static const char operation[] = "numa_place_module";
    if (request == NULL || result == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "%s: %s is NULL", operation,
                   request == NULL ? "request" : "result");
        return false;
    }
    if ((unsigned int)request->module_type > (unsigned int)MODULE_TYPE_BACKGROUND) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER,
                   "%s: request->module_type %d is not a "
                   "module_type_t value (0..3)",
                   operation, (int)request->module_type);
        return false;
    }
    if (request->priority > 100 || request->cpu_utilization_percent > 100) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "%s: request->%s %u is over 100", operation,
                   request->priority > 100 ? "priority" : "cpu_utilization_percent",
                   request->priority > 100 ? request->priority : request->cpu_utilization_percent);
        return false;
    }
    return true;
}

COREMOD_PUBLIC bool numa_place_module(numa_optimization_context_t* ctx,
                                      const module_placement_request_t* request,
                                      module_placement_result_t* result)
{
    static const char operation[] = "numa_place_module";
    if (!check_request(request, result)) {
        return false;
    }
    module_placement_request_t copy = *request;
    numa_context_t* context = optimization_context_enter(operation, ctx, HANDLE_KIND_NUMA_CONTEXT);
    if (context == NULL) {
        return false;
    }
    module_placement_result_t placed;
    pthread_mutex_lock(&context->lock);
    numa_place_status_t status = numa_state_place(&context->state, &copy, &placed);
    pthread_mutex_unlock(&context->lock);
    optimization_context_leave();
    if (status == NUMA_PLACE_LIMIT) {
        error_fail(MODULE_ERROR_RESOURCE_EXHAUSTED,
                   "%s: the context already holds %u live "
                   "placements; release some first",
                   operation, NUMA_MAX_LIVE_PLACEMENTS);
        return false;
    }
    if (status != NUMA_PLACE_OK) {
        error_fail(MODULE_ERROR_OUT_OF_MEMORY, "%s: out of memory recording the placement",
                   operation);
        return false;
    }
    *result = placed;
    error_succeed();
    return true;
}

static void fail_unknown_placement(const char* operation, const module_placement_result_t* p)
{
    error_fail(MODULE_ERROR_INVALID_PARAMETER,
               "%s: this context holds no live placement on core "
               "%u (domain %u, score %g): never placed here, or already released",
               operation, p->assigned_core_id, p->numa_domain, (double)p->load_balancing_score);
}

COREMOD_PUBLIC bool numa_release_placement(numa_optimization_context_t* ctx,
                                           const module_placement_result_t* placement)
{
    static const char operation[] = "numa_release_placement";
    if (placement == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "%s: placement is NULL", operation);
        return false;
    }
    module_placement_result_t wanted = *placement;
    numa_context_t* context = optimization_context_enter(operation, ctx, HANDLE_KIND_NUMA_CONTEXT);
    if (context == NULL) {
        return false;
    }
    pthread_mutex_lock(&context->lock);
    bool released = numa_state_release(&context->state, &wanted);
    pthread_mutex_unlock(&context->lock);
    optimization_context_leave();
    if (!released) {
        fail_unknown_placement(operation, &wanted);
        return false;
    }
    error_succeed();
    return true;
}

COREMOD_PUBLIC bool numa_apply_placement(numa_optimization_context_t* ctx,
                                         const module_placement_result_t* placement)
{
    static const char operation[] = "numa_apply_placement";
    if (placement == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "%s: placement is NULL", operation);
        return false;
    }
    module_placement_result_t wanted = *placement;
    numa_context_t* context = optimization_context_enter(operation, ctx, HANDLE_KIND_NUMA_CONTEXT);
    if (context == NULL) {
        return false;
    }
    pthread_mutex_lock(&context->lock);
    bool live = numa_state_find(&context->state, &wanted) != NULL;
    pthread_mutex_unlock(&context->lock);
    bool replay = context->replay;
    char source[sizeof(context->source)];
    snprintf(source, sizeof(source), "%s", context->source);
    optimization_context_leave();
    if (!live) {
        fail_unknown_placement(operation, &wanted);
        return false;
    }
    if (replay) {
        /* SPEC 12.10: the recorded CPU numbers name another machine's cores. */
        error_fail(MODULE_ERROR_SYSTEM_ERROR,
                   "%s: the context describes a recorded machine (%s), "
                   "not this one: its core %u cannot be applied here",
                   operation, source, wanted.assigned_core_id);
        return false;
    }
    char why[256];
    if (!numa_apply_to_calling_thread(wanted.assigned_core_id,
                                      wanted.core_type == CORE_TYPE_EFFICIENCY, why, sizeof(why))) {
        error_fail(MODULE_ERROR_SYSTEM_ERROR, "%s: %s", operation, why);
        return false;
    }
    error_succeed();
    return true;
}
