/*
 * platform_topology.c — choosing a source, building its table once, and handing it out.
 *
 * The live table is built on first use under pthread_once, so that every later query is a read
 * of an immutable table. Replay tables (COREMOD_SYSFS_ROOT / COREMOD_SYSCTL_FILE) are built the
 * first time their path is named and kept, so that a context created under a replay source sees
 * the same table as every other context created under it. The environment is read at each call:
 * the APIs call platform_topology_get() when a context is created.
 */
#include "platform_topology.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform_topology_builder.h"
#include "topology_backend.h"

const char* platform_source_kind_name(platform_source_kind_t kind)
{
    switch (kind) {
    case PLATFORM_SOURCE_LIVE_LINUX: return "live-linux";
    case PLATFORM_SOURCE_LIVE_DARWIN: return "live-darwin";
    case PLATFORM_SOURCE_REPLAY_SYSFS: return "replay-sysfs";
    case PLATFORM_SOURCE_REPLAY_SYSCTL: return "replay-sysctl";
    }
    return "unknown";
}

bool platform_kind_is_efficiency(const platform_topology_t* topology, int32_t kind)
{
    return topology && topology->n_kinds > 1 && kind == (int32_t)topology->n_kinds - 1;
}

/* The backend that reads `kind`, NULL if none does. */
static const topology_backend_t* backend_for(platform_source_kind_t kind)
{
    for (const topology_backend_t* const* b = topology_backends; *b; b++)
        if ((*b)->live_kind == kind || (*b)->replay_kind == kind)
            return *b;
    return NULL;
}

platform_status_t platform_topology_build(const platform_source_t* source,
                                          platform_topology_t** out)
{
    if (!source || !out)
        return platform_fail(PLATFORM_ERR_INVALID_ARGUMENT,
                             "platform_topology_build: NULL argument");
    *out = NULL;
    const topology_backend_t* backend = backend_for(source->kind);
    if (!backend)
        return platform_fail(PLATFORM_ERR_INVALID_ARGUMENT, "unknown source kind %d",
                             (int)source->kind);
    const char* kind_name = platform_source_kind_name(source->kind);
    /* A backend's live source only reads the OS this build runs on; its replay reads anywhere. */
    if (source->kind == backend->live_kind && backend != topology_live_backend)
        return platform_fail(PLATFORM_ERR_UNSUPPORTED, "%s detection on a build for another OS",
                             kind_name);
    if (source->kind == backend->replay_kind && (!source->path || !*source->path))
        return platform_fail(PLATFORM_ERR_INVALID_ARGUMENT, "%s needs %s", kind_name,
                             backend->replay_path);
    return backend->build(source, out);
}

void platform_topology_free(platform_topology_t* topology)
{
    if (topology && !topology->cached)
        topology_destroy(topology);
}

/* ---- the live table ------------------------------------------------------------------------- */

static pthread_once_t live_once = PTHREAD_ONCE_INIT;
static platform_topology_t* live_table;
static platform_status_t live_status;
static char live_error[512];

static void build_live(void)
{
    if (!topology_live_backend) {
        live_status = PLATFORM_ERR_UNSUPPORTED;
        snprintf(live_error, sizeof live_error, "no live detection for this OS");
        return;
    }
    platform_source_t source = {topology_live_backend->live_kind, NULL};
    live_status = platform_topology_build(&source, &live_table);
    if (live_status == PLATFORM_OK)
        live_table->cached = true;
    else
        snprintf(live_error, sizeof live_error, "%s", platform_last_error());
}

/* ---- replay tables, one per named path --------------------------------------------------------
 */

typedef struct replay_entry {
    struct replay_entry* next;
    platform_source_kind_t kind;
    char* path;
    platform_topology_t* table;
} replay_entry_t;

static pthread_mutex_t replay_lock = PTHREAD_MUTEX_INITIALIZER;
static replay_entry_t* replay_tables;

static platform_status_t acquire_replay(platform_source_kind_t kind, const char* path,
                                        const platform_topology_t** out)
{
    platform_status_t st = PLATFORM_OK;
    pthread_mutex_lock(&replay_lock);
    replay_entry_t* e = replay_tables;
    while (e && !(e->kind == kind && strcmp(e->path, path) == 0))
        e = e->next;
    if (!e) {
        /* Built under the lock: concurrent first uses of one path must not build it twice. A
         * failed build is not cached, so a recording fixed on disk can be retried. */
        platform_source_t source = {kind, path};
        platform_topology_t* table = NULL;
        st = platform_topology_build(&source, &table);
        if (st == PLATFORM_OK) {
            e = calloc(1, sizeof *e);
            char* copy = e ? strdup(path) : NULL;
            if (!e || !copy) {
                free(e);
                e = NULL;
                topology_destroy(table);
                st = platform_fail(PLATFORM_ERR_NO_MEMORY, "out of memory caching a replay table");
            } else {
                table->cached = true;
                e->kind = kind;
                e->path = copy;
                e->table = table;
                e->next = replay_tables;
                replay_tables = e;
            }
        }
    }
    if (e)
        *out = e->table;
    pthread_mutex_unlock(&replay_lock);
    return st;
}

static const char* env_value(const char* name)
{
    const char* v = getenv(name);
    return v && *v ? v : NULL;
}

platform_status_t platform_topology_acquire(const platform_topology_t** out)
{
    if (!out)
        return platform_fail(PLATFORM_ERR_INVALID_ARGUMENT,
                             "platform_topology_acquire: NULL output");
    *out = NULL;
    const char* sysfs_root = env_value(COREMOD_SYSFS_ROOT_ENV);
    const char* sysctl_file = env_value(COREMOD_SYSCTL_FILE_ENV);
    if (sysfs_root && sysctl_file)
        return platform_fail(PLATFORM_ERR_INVALID_ARGUMENT,
                             "both %s and %s are set: choose one recorded machine",
                             COREMOD_SYSFS_ROOT_ENV, COREMOD_SYSCTL_FILE_ENV);
    if (sysfs_root)
        return acquire_replay(PLATFORM_SOURCE_REPLAY_SYSFS, sysfs_root, out);
    if (sysctl_file)
        return acquire_replay(PLATFORM_SOURCE_REPLAY_SYSCTL, sysctl_file, out);
    pthread_once(&live_once, build_live);
    if (live_status != PLATFORM_OK)
        return platform_fail(live_status, "%s", live_error);
    *out = live_table;
    return PLATFORM_OK;
}

const platform_topology_t* platform_topology_get(void)
{
    const platform_topology_t* table;
    return platform_topology_acquire(&table) == PLATFORM_OK ? table : NULL;
}
