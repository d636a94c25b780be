/*
 * darwin_backend.h — the macOS backend: the table from sysctl keys, read live or from a recorded
 * `sysctl -a` (internal).
 */
#ifndef COREMOD_DARWIN_BACKEND_H
#define COREMOD_DARWIN_BACKEND_H

#include "sysctl_source.h"
#include "topology_backend.h"

/* Sources "live-darwin" and "replay-sysctl" (topology_backend.h). */
extern const topology_backend_t topology_backend_darwin;

/* Reads the macOS sysctl keys through `sysctls`; source_text names the source in the table. */
platform_status_t topology_darwin_build(const sysctl_source_t* sysctls, platform_source_kind_t kind,
                                        const char* source_text, platform_topology_t** out);

#endif /* COREMOD_DARWIN_BACKEND_H */
