/*
 * topology_backends.h — the OS backends behind platform_topology_build (internal).
 *
 * Each backend reads its OS's interface (or a recording of it) and returns a finished table.
 */
#ifndef COREMOD_TOPOLOGY_BACKENDS_H
#define COREMOD_TOPOLOGY_BACKENDS_H

#include "platform_topology_builder.h"
#include "sysctl_source.h"

typedef struct {
    /* Tests only: on the live machine, ignore sysfs cache/index* so that the CPUID cache path
     * runs and can be compared with what sysfs says. */
    bool ignore_sysfs_caches;
} linux_backend_options_t;

/* root_dir NULL: the live machine (source "live-linux", CPUID allowed on x86). Otherwise a
 * recorded tree (source "replay-sysfs:DIR", no CPUID). options may be NULL. */
platform_status_t topology_linux_build(const char* root_dir, const linux_backend_options_t* options,
                                       platform_topology_t** out);

/* Reads the macOS sysctl keys through `sysctls`; source_text names the source in the table. */
platform_status_t topology_darwin_build(const sysctl_source_t* sysctls, platform_source_kind_t kind,
                                        const char* source_text, platform_topology_t** out);

/* Live x86 only: fills from CPUID what sysfs left out (see topology_x86_cpuid.h). */
platform_status_t topology_x86_fill_live(topo_builder_t* b, bool need_hybrid,
                                         bool ignore_sysfs_caches);

#endif /* COREMOD_TOPOLOGY_BACKENDS_H */
