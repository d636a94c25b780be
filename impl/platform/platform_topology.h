/*
 * platform_topology.h — coremod's one model of the machine (internal to coremod).
 *
 * As in hwloc, each OS backend (linux/, darwin/: one topology_backend_t each, listed in
 * topology_backends.c) fills the same table, the table is built once and never changes
 * afterwards, and the JIT, Cache and NUMA APIs only read it. Recorded machines are replayed by
 * pointing a backend at a recording instead of the live system (COREMOD_SYSFS_ROOT,
 * COREMOD_SYSCTL_FILE: coremod_replay.h).
 *
 * Conventions: sizes are bytes, frequencies kHz; 0 means "the source does not say". Core kinds
 * are ranked: kind 0 is the fastest. A machine with several kinds has performance cores (every
 * kind but the slowest) and efficiency cores (the slowest kind); a machine with one kind has
 * only performance cores.
 */
#ifndef COREMOD_PLATFORM_TOPOLOGY_H
#define COREMOD_PLATFORM_TOPOLOGY_H

#include <stdbool.h>
#include <stdint.h>

#include "coremod_replay.h" /* COREMOD_SYSFS_ROOT_ENV, COREMOD_SYSCTL_FILE_ENV */
#include "platform_cpuset.h"
#include "platform_status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    PLATFORM_SOURCE_LIVE_LINUX = 0,
    PLATFORM_SOURCE_LIVE_DARWIN = 1,
    PLATFORM_SOURCE_REPLAY_SYSFS = 2, /* path: a directory holding sys/ and proc/ */
    PLATFORM_SOURCE_REPLAY_SYSCTL = 3 /* path: a file of `name: value` lines */
} platform_source_kind_t;

typedef struct {
    platform_source_kind_t kind;
    const char* path; /* replay sources only; ignored for live ones */
} platform_source_t;

typedef enum {
    PLATFORM_CACHE_DATA = 0,
    PLATFORM_CACHE_INSTRUCTION = 1,
    PLATFORM_CACHE_UNIFIED = 2
} platform_cache_type_t;

/* One cache instance, e.g. "the 12 MiB L2 shared by CPUs 4-7". */
typedef struct {
    uint32_t level;
    platform_cache_type_t type;
    uint64_t size;
    uint32_t line_size;
    uint32_t ways;
    platform_cpuset_t cpus; /* the CPUs that share this instance */
} platform_cache_t;

/* The caches one CPU sees, as indices into platform_topology_t.caches (-1: none known). */
enum {
    PLATFORM_SLOT_L1I,
    PLATFORM_SLOT_L1D,
    PLATFORM_SLOT_L2,
    PLATFORM_SLOT_L3,
    PLATFORM_CACHE_SLOTS
};

/* Intel hybrid core class (sysfs cpu_core / cpu_atom, or CPUID leaf 0x1A on the live machine). */
typedef enum {
    PLATFORM_HYBRID_NONE = 0,
    PLATFORM_HYBRID_ATOM = 1,
    PLATFORM_HYBRID_CORE = 2
} platform_hybrid_t;

typedef struct {
    uint32_t os_index; /* the OS's CPU number */
    bool online;
    int32_t package;   /* as the OS numbers it */
    int32_t cluster;   /* dense 0..n_clusters-1 (see platform_topology_builder.c); -1 offline */
    int32_t node;      /* NUMA node OS number; -1 offline */
    int32_t kind;      /* rank of its core kind, 0 = fastest; -1 offline */
    uint32_t midr;     /* ARM Main ID Register (implementer, variant, part, revision); 0 none */
    uint32_t capacity; /* Linux cpu_capacity (1024 = the fastest CPU); 0 unknown */
    uint32_t max_freq_khz;
    uint32_t base_freq_khz;
    platform_hybrid_t hybrid;
    int32_t cache[PLATFORM_CACHE_SLOTS];
} platform_cpu_t;

/* Summary of one core kind, from its lowest-numbered online CPU. */
typedef struct {
    char name[32];  /* "Cortex-X3", "Performance", "Atom"... or "" when the source has none */
    uint32_t count; /* online CPUs of this kind */
    platform_cpuset_t cpus;
    uint32_t capacity;
    uint32_t max_freq_khz;
    uint32_t midr;
    platform_hybrid_t hybrid;
    uint64_t l1i_size;
    uint64_t l1d_size;
    uint64_t l2_size;
    uint64_t l3_size;
    uint32_t cpus_per_l2; /* CPUs sharing one L2 (0: no L2 known) */
} platform_kind_t;

typedef struct {
    uint32_t os_index;
    platform_cpuset_t cpus; /* online CPUs of the node (may be empty: memory-only node) */
} platform_node_t;

typedef struct platform_topology {
    platform_source_kind_t source_kind;
    char* source;    /* "live-linux", "live-darwin", "replay-sysfs:DIR", "replay-sysctl:FILE" */
    char vendor[32]; /* "Intel", "AMD", "ARM", "Apple", ... or "" */
    char brand[128]; /* model name as the source gives it, or "" */
    uint32_t apple_generation; /* 1..5 for M1..M5; 0 when not Apple Silicon or not determinable */
    char apple_variant[8];     /* "", "Pro", "Max" ("Ultra" from a brand string) */
    bool has_lse;              /* ARMv8.1 atomics (FEAT_LSE / HWCAP_ATOMICS) */
    bool has_amx;        /* Apple matrix coprocessor: every Apple Silicon generation has one */
    bool has_sme;        /* FEAT_SME (macOS sources only) */
    bool has_prefetcher; /* hardware data prefetcher: every recognised vendor's cores have one */
    uint32_t cache_line_size; /* hw.cachelinesize on macOS; the largest line of any data cache on
                                 Linux */
    uint32_t n_cpus;          /* present CPUs (online or not) */
    uint32_t n_online;
    platform_cpu_t* cpus; /* sorted by os_index */
    uint32_t n_kinds;
    platform_kind_t* kinds; /* kinds[0] is the fastest */
    uint32_t n_caches;
    platform_cache_t* caches; /* sorted by level, type, first CPU */
    uint32_t n_nodes;
    platform_node_t* nodes; /* sorted by os_index; at least one */
    uint32_t n_packages;
    uint32_t n_clusters;
    bool cached; /* owned by platform_topology_get(): platform_topology_free ignores it */
} platform_topology_t;

/* The table for the source the environment names (COREMOD_SYSFS_ROOT, else COREMOD_SYSCTL_FILE,
 * else the live machine), read at each call. Each distinct source is built once per process and
 * kept for its lifetime; recordings are assumed not to change while the process runs.
 * NULL on failure (see platform_last_error()). */
const platform_topology_t* platform_topology_get(void);

/* Same, with the reason for a failure. Setting both variables is PLATFORM_ERR_INVALID_ARGUMENT. */
platform_status_t platform_topology_acquire(const platform_topology_t** out);

/* Builds a new table from an explicit source (tests, tools). The caller frees it. */
platform_status_t platform_topology_build(const platform_source_t* source,
                                          platform_topology_t** out);

/* Frees a table returned by platform_topology_build. NULL and cached tables are ignored. */
void platform_topology_free(platform_topology_t* topology);

/* "live-linux", "live-darwin", "replay-sysfs", "replay-sysctl". */
const char* platform_source_kind_name(platform_source_kind_t kind);

/* Core class of a kind rank: true when the kind counts as efficiency cores (the slowest of
 * several kinds). */
bool platform_kind_is_efficiency(const platform_topology_t* topology, int32_t kind);

#ifdef __cplusplus
}
#endif

#endif /* COREMOD_PLATFORM_TOPOLOGY_H */
