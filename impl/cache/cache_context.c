/*
 * cache_context.c — the Cache Optimization API (SPEC 11): contexts, the hierarchy view, prefetch
 * patterns and applying them.
 *
 * The document's example applies a pattern with cache_apply_prefetch_pattern(ctx, &pattern), and
 * the pattern struct holds no address. So each context remembers the ranges of its most recent
 * CACHE_PATTERN_HISTORY generated patterns; applying a pattern finds the most recent generation
 * that produced exactly that pattern and prefetches over its range (SPEC 11.10). Prefetch
 * instructions never fault, so a range whose memory was freed since is harmless.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cache_prefetch_rules.h"
#include "optimization_context.h"
#include "platform_topology_views.h"
#include "prefetch_range.h"

/* SPEC 11.10: how many generated patterns a context can still apply. */
#define CACHE_PATTERN_HISTORY 16u

typedef struct {
    cache_prefetch_pattern_t pattern;
    const void* start;
    size_t size;
} cache_generation_t;

typedef struct {
    cache_machine_t machine; /* SPEC 11.2, 11.9: the view at creation */
    pthread_mutex_t lock;    /* guards the history */
    cache_generation_t history[CACHE_PATTERN_HISTORY];
    uint32_t next;  /* slot the next generation goes to */
    uint32_t count; /* slots in use */
} cache_context_t;

/* SPEC 11.9: Apple Silicon, or any CPU reporting an ARM Main ID Register. */
static bool machine_is_arm(const platform_topology_t* topology)
{
    if (strcmp(topology->vendor, "Apple") == 0) {
        return true;
    }
    for (uint32_t i = 0; i < topology->n_cpus; i++) {
        if (topology->cpus[i].midr != 0) {
            return true;
        }
    }
    return false;
}

COREMOD_PUBLIC cache_optimization_context_t* cache_optimization_create(void)
{
    static const char operation[] = "cache_optimization_create";
    const platform_topology_t* topology = NULL;
    if (!optimization_topology_acquire(operation, &topology)) {
        return NULL;
    }
    cache_context_t* context = calloc(1, sizeof(*context));
    if (context == NULL) {
        error_fail(MODULE_ERROR_OUT_OF_MEMORY, "%s: out of memory for the context", operation);
        return NULL;
    }
    platform_view_cache_hierarchy(topology, &context->machine.hierarchy);
    context->machine.arm = machine_is_arm(topology);
    pthread_mutex_init(&context->lock, NULL);
    uintptr_t token = optimization_context_publish(operation, HANDLE_KIND_CACHE_CONTEXT, context);
    if (token == 0) {
        pthread_mutex_destroy(&context->lock);
        free(context);
        return NULL;
    }
    error_succeed();
    return (cache_optimization_context_t*)token;
}

COREMOD_PUBLIC void cache_optimization_destroy(cache_optimization_context_t* ctx)
{
    if (ctx == NULL) {
        return; /* the header's promise: NULL does nothing, last error included */
    }
    cache_context_t* context =
        optimization_context_retire("cache_optimization_destroy", ctx, HANDLE_KIND_CACHE_CONTEXT);
    if (context != NULL) {
        pthread_mutex_destroy(&context->lock);
        free(context);
        error_succeed();
    }
}

COREMOD_PUBLIC bool cache_get_hierarchy_info(cache_optimization_context_t* ctx,
                                             cache_hierarchy_info_t* info)
{
    static const char operation[] = "cache_get_hierarchy_info";
    if (info == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "%s: info is NULL", operation);
        return false;
    }
    const cache_context_t* context =
        optimization_context_enter(operation, ctx, HANDLE_KIND_CACHE_CONTEXT);
    if (context == NULL) {
        return false;
    }
    *info = context->machine.hierarchy;
    optimization_context_leave();
    error_succeed();
    return true;
}

/* SPEC 11.3; reports and returns false when an argument is bad. */
static bool check_generate_arguments(const void* data_ptr, size_t data_size,
                                     cache_access_pattern_t pattern,
                                     const cache_prefetch_pattern_t* out)
{
    static const char operation[] = "cache_generate_prefetch_pattern";
    if (data_ptr == NULL || out == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "%s: %s is NULL", operation,
                   data_ptr == NULL ? "data_ptr" : "prefetch_pattern");
        return false;
    }
    if (data_size == 0) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "%s: data_size is 0", operation);
        return false;
    }
    if ((uintptr_t)data_ptr + (data_size - 1) < (uintptr_t)data_ptr) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER,
                   "%s: data_ptr %p + data_size %zu wraps around "
                   "the address space",
                   operation, data_ptr, data_size);
        return false;
    }
    /* Compared as unsigned: a negative value cast to the enum is out of range too. */
    if ((unsigned int)pattern > (unsigned int)CACHE_ACCESS_TEMPORAL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER,
                   "%s: pattern %d is not a cache_access_pattern_t "
                   "value (0..3)",
                   operation, (int)pattern);
        return false;
    }
    return true;
}

COREMOD_PUBLIC bool cache_generate_prefetch_pattern(cache_optimization_context_t* ctx,
                                                    const void* data_ptr, size_t data_size,
                                                    cache_access_pattern_t pattern,
                                                    cache_prefetch_pattern_t* prefetch_pattern)
{
    if (!check_generate_arguments(data_ptr, data_size, pattern, prefetch_pattern)) {
        return false;
    }
    cache_context_t* context = optimization_context_enter("cache_generate_prefetch_pattern", ctx,
                                                          HANDLE_KIND_CACHE_CONTEXT);
    if (context == NULL) {
        return false;
    }
    cache_prefetch_pattern_t result;
    cache_prefetch_pattern_for(&context->machine, data_size, pattern, &result);
    pthread_mutex_lock(&context->lock);
    context->history[context->next] =
        (cache_generation_t){.pattern = result, .start = data_ptr, .size = data_size};
    context->next = (context->next + 1) % CACHE_PATTERN_HISTORY;
    if (context->count < CACHE_PATTERN_HISTORY) {
        context->count++;
    }
    pthread_mutex_unlock(&context->lock);
    optimization_context_leave();
    *prefetch_pattern = result;
    error_succeed();
    return true;
}

static bool same_pattern(const cache_prefetch_pattern_t* a, const cache_prefetch_pattern_t* b)
{
    return a->prefetch_distance == b->prefetch_distance &&
           a->prefetch_stride == b->prefetch_stride && a->pattern == b->pattern &&
           a->use_neon_prefetch == b->use_neon_prefetch;
}

/* The most recent generation that produced *pattern; false if none is remembered. Caller holds
 * context->lock. */
static bool find_generation(const cache_context_t* context, const cache_prefetch_pattern_t* pattern,
                            cache_generation_t* found)
{
    for (uint32_t back = 1; back <= context->count; back++) {
        uint32_t slot = (context->next + CACHE_PATTERN_HISTORY - back) % CACHE_PATTERN_HISTORY;
        if (same_pattern(&context->history[slot].pattern, pattern)) {
            *found = context->history[slot];
            return true;
        }
    }
    return false;
}

COREMOD_PUBLIC bool cache_apply_prefetch_pattern(cache_optimization_context_t* ctx,
                                                 const cache_prefetch_pattern_t* pattern)
{
    static const char operation[] = "cache_apply_prefetch_pattern";
    if (pattern == NULL) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER, "%s: pattern is NULL", operation);
        return false;
    }
    cache_prefetch_pattern_t wanted = *pattern;
    cache_context_t* context =
        optimization_context_enter(operation, ctx, HANDLE_KIND_CACHE_CONTEXT);
    if (context == NULL) {
        return false;
    }
    cache_generation_t generation;
    pthread_mutex_lock(&context->lock);
    bool found = find_generation(context, &wanted, &generation);
    pthread_mutex_unlock(&context->lock);
    optimization_context_leave();
    if (!found) {
        error_fail(MODULE_ERROR_INVALID_PARAMETER,
                   "%s: no pattern with distance %u, stride %u, "
                   "access pattern %d was generated by this context (or it is older than the "
                   "last %u generated)",
                   operation, wanted.prefetch_distance, wanted.prefetch_stride, (int)wanted.pattern,
                   CACHE_PATTERN_HISTORY);
        return false;
    }
    /* SPEC 11.10: the window a consumer at the start of the range runs ahead of it; distance 0
     * (nothing worth prefetching) issues nothing. The kernel reads 0 as "the whole range". */
    if (generation.pattern.prefetch_distance > 0) {
        coremod_prefetch_range(generation.start, generation.size,
                               generation.pattern.prefetch_stride,
                               generation.pattern.prefetch_distance);
    }
    error_succeed();
    return true;
}
