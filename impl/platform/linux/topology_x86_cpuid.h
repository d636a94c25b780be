/*
 * topology_x86_cpuid.h — what CPUID says about the CPU it runs on (x86 only, live machine only).
 *
 * The Linux backend uses it to fill what sysfs leaves out on the live machine: caches (leaf 4 on
 * Intel, 0x8000001D on AMD) when cache/index* is missing, the Intel hybrid core type (leaf 0x1A)
 * when /sys/devices/cpu_core and cpu_atom are missing, vendor and brand when /proc/cpuinfo is.
 * Never used for a replayed machine: CPUID would describe this machine, not the recording.
 * On other architectures every function returns PLATFORM_ERR_UNSUPPORTED.
 */
#ifndef COREMOD_TOPOLOGY_X86_CPUID_H
#define COREMOD_TOPOLOGY_X86_CPUID_H

#include <stdbool.h>
#include <stdint.h>

#include "platform_topology.h"

#define X86_MAX_CACHE_LEAVES 8

typedef struct {
    uint32_t level;
    platform_cache_type_t type;
    uint64_t size;
    uint32_t line_size;
    uint32_t ways;
    uint32_t sharing_bits; /* CPUs whose APIC ids agree above this many low bits share the cache */
} x86_cache_leaf_t;

typedef struct {
    char vendor[13];             /* "GenuineIntel", "AuthenticAMD", ... */
    char brand[49];              /* leaves 0x80000002-4, leading blanks removed */
    uint32_t apic_id;            /* x2APIC id (leaf 0xB) or initial APIC id (leaf 1) */
    bool hybrid;                 /* leaf 7 EDX bit 15 */
    platform_hybrid_t core_type; /* leaf 0x1A: 0x40 Core, 0x20 Atom */
    uint32_t n_caches;
    x86_cache_leaf_t caches[X86_MAX_CACHE_LEAVES];
} x86_cpuid_info_t;

/* True when built for x86. */
bool x86_cpuid_available(void);

/* CPUID on whatever CPU the calling thread is on. */
platform_status_t x86_cpuid_probe_current(x86_cpuid_info_t* out);

/* CPUID on OS CPU `cpu`, from a short-lived thread pinned to it. */
platform_status_t x86_cpuid_probe_cpu(uint32_t cpu, x86_cpuid_info_t* out);

#endif /* COREMOD_TOPOLOGY_X86_CPUID_H */
