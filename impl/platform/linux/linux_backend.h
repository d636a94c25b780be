/*
 * linux_backend.h — the Linux backend: /sys and /proc, live or under a recorded root (internal).
 */
#ifndef COREMOD_LINUX_BACKEND_H
#define COREMOD_LINUX_BACKEND_H

#include "topology_backend.h"

/* Sources "live-linux" and "replay-sysfs" (topology_backend.h). */
extern const topology_backend_t topology_backend_linux;

typedef struct {
    /* Tests only: on the live machine, ignore sysfs cache/index* so that the CPUID cache path
     * runs and can be compared with what sysfs says. */
    bool ignore_sysfs_caches;
} linux_backend_options_t;

/* root_dir NULL: the live machine (source "live-linux", CPUID allowed on x86). Otherwise a
 * recorded tree (source "replay-sysfs:DIR", no CPUID). options may be NULL. */
platform_status_t topology_linux_build(const char* root_dir, const linux_backend_options_t* options,
                                       platform_topology_t** out);

/* Live x86 only: fills from CPUID what sysfs left out (see topology_x86_cpuid.h). */
platform_status_t topology_x86_fill_live(topo_builder_t* b, bool need_hybrid,
                                         bool ignore_sysfs_caches);

#endif /* COREMOD_LINUX_BACKEND_H */
