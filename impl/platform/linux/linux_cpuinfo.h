/*
 * linux_cpuinfo.h — the parts of /proc/cpuinfo that detection reads.
 *
 * Per CPU: the MIDR fields on ARM ("CPU implementer", "CPU part", ...), for kernels without
 * regs/identification/midr_el1. For the machine: x86 "vendor_id" and "model name", the 32-bit ARM
 * "Processor" name, and whether every "Features" line lists "atomics" (FEAT_LSE on arm64).
 * Old 32-bit ARM kernels print the MIDR fields once, after the last processor block; those
 * values apply to every CPU that has none of its own.
 */
#ifndef COREMOD_LINUX_CPUINFO_H
#define COREMOD_LINUX_CPUINFO_H

#include <stdbool.h>
#include <stdint.h>

#include "linux_files.h"

typedef struct {
    uint32_t processor; /* the "processor" number */
    bool has_midr;
    uint32_t implementer, variant, part, revision;
} linux_cpuinfo_cpu_t;

typedef struct {
    uint32_t n_cpus;
    linux_cpuinfo_cpu_t* cpus;
    linux_cpuinfo_cpu_t shared; /* fields printed outside any processor block */
    char vendor_id[32];
    char model_name[128];
    char processor_name[128];
    uint32_t features_lines; /* "Features" lines seen */
    uint32_t atomics_lines;  /* of which list "atomics" */
} linux_cpuinfo_t;

/* Reads ROOT/proc/cpuinfo. An absent file gives an empty result (PLATFORM_OK). */
platform_status_t linux_cpuinfo_read(const linux_root_t* root, linux_cpuinfo_t* out);

/* Parses cpuinfo text (exposed for tests). */
platform_status_t linux_cpuinfo_parse(const char* text, linux_cpuinfo_t* out);

void linux_cpuinfo_free(linux_cpuinfo_t* info);

/* The MIDR for OS CPU `cpu`, composed from its fields (or the shared ones); false if none. */
bool linux_cpuinfo_midr(const linux_cpuinfo_t* info, uint32_t cpu, uint32_t* midr);

#endif /* COREMOD_LINUX_CPUINFO_H */
