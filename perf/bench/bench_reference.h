/*
 * bench_reference.h — the same-run reference of a gate: a fixed workload of the
 * runner's own, interleaved iteration by iteration with the candidate's
 * operation (bench_sample's baseline), so that what slows the machine during
 * the run (another process on the cores, the hypervisor taking time, a slower
 * clock) slows the reference as much as the candidate.
 *
 * The regression rule compares the candidate relative to its reference
 * (scripts/coremodlib/ regression.py): a slower candidate does not slow the
 * reference; a busier machine slows both. The loader gates have the platform
 * loader as their reference (dlopen, dlclose, dlsym on the same files); every
 * other time gate gets one of these, each stressing what its operation
 * stresses: the allocator for the creates and inits, copies of small structures
 * for the queries, a branchy scan of 64 KiB for the compilation hints, integer
 * arithmetic with divisions for the prefetch patterns and the placements. The
 * workloads never change between releases without a new name: a stored
 * baseline's reference must be the same work as this run's.
 */
#ifndef COREMOD_BENCH_REFERENCE_H
#define COREMOD_BENCH_REFERENCE_H

#include <stddef.h>

#include "bench_context.h"
#include "bench_sampler.h"

typedef enum {
    BENCH_REFERENCE_ALLOCATE_ZEROED, /* calloc + touch + free of 4 KiB: inits */
    BENCH_REFERENCE_ALLOCATE_SMALL,  /* malloc + fill + free of 256 bytes: context
                                        creates */
    BENCH_REFERENCE_COPY_STRUCT,     /* a 128-byte structure copied out: queries */
    BENCH_REFERENCE_SCAN_CODE,       /* 64 KiB of instruction words classified: hints */
    BENCH_REFERENCE_ARITHMETIC,      /* divisions, shifts and a logarithm: patterns,
                                        placements */
    BENCH_REFERENCE_KINDS
} bench_reference_kind_t;

typedef struct {
    bench_reference_kind_t kind;
    const unsigned char* code; /* SCAN_CODE: the words scanned (BENCH_JIT_CODE_BYTES) */
    size_t code_bytes;
    void* blocks[128]; /* the ALLOCATE kinds: blocks of one run, freed untimed */
    size_t allocated;
} bench_reference_t;

/* The name the results give the reference ("raw_baseline" / "reference" in
 * coremod-bench/1), e.g. "reference:allocate_zeroed_4k". */
const char* bench_reference_name(bench_reference_kind_t kind);

/* A case running `batch` units of the reference workload per sample (batch <=
 * 128), on `state`, which the caller initialises with the kind (and the code,
 * for SCAN_CODE). */
bench_case_t bench_reference_case(bench_reference_t* state, size_t batch);

/* Samples `subject` (a timed case of `subject->batch` operations) interleaved
 * with the reference workload `kind` run in batches of the same size, and
 * adds both to `results` as operation `name` (unit ns). `code`: the words
 * SCAN_CODE scans (NULL for the other kinds). */
void bench_measure_with_reference(const bench_context_t* ctx, bench_results_t* results,
                                  const char* name, const bench_case_t* subject,
                                  bench_reference_kind_t kind, const unsigned char* code,
                                  size_t code_bytes);

#endif /* COREMOD_BENCH_REFERENCE_H */
