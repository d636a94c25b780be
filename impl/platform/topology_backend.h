/*
 * topology_backend.h — what an OS backend is, and the list of them (internal).
 *
 * A backend turns one OS's interface (or a recording of it) into a finished table. Each lives in
 * its own folder (linux/, darwin/) and exports exactly one topology_backend_t; the list is in
 * topology_backends.c, the only file that knows which backends exist. platform_topology.c finds
 * the backend of a source by walking the list, so adding an OS never touches the model.
 */
#ifndef COREMOD_TOPOLOGY_BACKEND_H
#define COREMOD_TOPOLOGY_BACKEND_H

#include "platform_topology_builder.h"

typedef struct {
    const char* name; /* "linux", "darwin": for messages */
    /* The two source kinds this backend reads: its OS live, and a recording of it. */
    platform_source_kind_t live_kind;
    platform_source_kind_t replay_kind;
    const char* replay_path; /* what a replay path names ("a directory"), for messages */
    /* Called with a source of one of the kinds above, a non-empty path for a replay, and
     * *out == NULL; for live_kind only when this is the build's live backend. */
    platform_status_t (*build)(const platform_source_t* source, platform_topology_t** out);
} topology_backend_t;

/* Every backend compiled in, NULL-terminated. Replays of any of them work on every build. */
extern const topology_backend_t* const topology_backends[];

/* The backend that reads the machine this build runs on; NULL on an OS with none. */
extern const topology_backend_t* const topology_live_backend;

#endif /* COREMOD_TOPOLOGY_BACKEND_H */
