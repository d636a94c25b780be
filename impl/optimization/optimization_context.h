/*
 * optimization_context.h — what the JIT, Cache and NUMA contexts share (SPEC 10.1–10.3, 13.2).
 *
 * A context value handed to the caller is a token of the core's handle table (core/handle_table.h),
 * never an address: validation is a table lookup that never reads memory at the caller's value,
 * a destroyed context's value never becomes valid again, and a context of one API passed to
 * another (they are different kinds) is rejected like a stale module handle (SPEC 10.1).
 *
 * Errors go through the core's reporting (core/errors.h): the per-thread last error and the
 * error callback behave exactly as for the core API (SPEC 10.2). As in the core, a failure is
 * reported only after the table lock is released, so a callback may call back into the API.
 */
#ifndef COREMOD_OPTIMIZATION_CONTEXT_H
#define COREMOD_OPTIMIZATION_CONTEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "errors.h"
#include "handle_table.h"
#include "platform_topology.h"

/* The machine description a context being created by `operation` snapshots: the live table
 * (detected once per process) or the recording the environment names at this moment
 * (SPEC 13.1–13.3). On failure reports OUT_OF_MEMORY or SYSTEM_ERROR with the platform layer's
 * explanation and returns false. */
bool optimization_topology_acquire(const char* operation, const platform_topology_t** out);

/* Publishes `object` as a live context of `kind`; returns its token, or 0 after reporting
 * MODULE_ERROR_RESOURCE_EXHAUSTED (no table slot could be allocated). */
uintptr_t optimization_context_publish(const char* operation, handle_kind_t kind, void* object);

/* The live context of `kind` named by `ctx`, with the handle table's read lock held: the object
 * stays allocated until optimization_context_leave(). Keep the work done under it short, and
 * report nothing while holding it. NULL (lock not held) after reporting INVALID_PARAMETER when
 * `ctx` is NULL or names no live context of that kind. */
void* optimization_context_enter(const char* operation, const void* ctx, handle_kind_t kind);
void optimization_context_leave(void);

/* Invalidates `ctx` and hands its object to the caller, who frees it: every reader has left it
 * (the removal waits for them). NULL after reporting INVALID_PARAMETER when `ctx` names no live
 * context of `kind` (including one a concurrent destroy retired first). */
void* optimization_context_retire(const char* operation, const void* ctx, handle_kind_t kind);

#endif /* COREMOD_OPTIMIZATION_CONTEXT_H */
