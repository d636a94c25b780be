/*
 * prefetch_range.h — issues real prefetch instructions over a byte range (the loop behind
 * cache_apply_prefetch_pattern). Assembly: PRFM PLDL1KEEP on AArch64, PREFETCHT0 on x86-64;
 * C twin: __builtin_prefetch(addr, 0, 3), which compiles to the same instructions.
 */
#ifndef COREMOD_PREFETCH_RANGE_H
#define COREMOD_PREFETCH_RANGE_H

#include <stddef.h>

#include "kernel_arch.h"

/*
 * Prefetches, in ascending order, the addresses start + k * stride_bytes for k = 0, 1, ... while
 * k * stride_bytes < bytes, stopping after distance_lines prefetches when distance_lines > 0
 * (the prefetch distance of a pattern: how far ahead of the consumer to run; 0 = the whole
 * range). Returns the number of prefetch instructions issued, i.e.
 *     n = ceil(bytes / stride_bytes), capped at distance_lines when distance_lines > 0,
 * and 0 — issuing nothing — when start is NULL, bytes or stride_bytes is 0, or
 * start + bytes - 1 wraps around the address space.
 * Never reads or writes the range itself: prefetches do not fault, so a range that touches
 * unmapped memory is harmless.
 */
size_t coremod_prefetch_range(const void* start, size_t bytes, size_t stride_bytes,
                              unsigned distance_lines);
size_t coremod_prefetch_range_c(const void* start, size_t bytes, size_t stride_bytes,
                                unsigned distance_lines);
#if COREMOD_KERNELS_HAVE_ASM
size_t coremod_prefetch_range_asm(const void* start, size_t bytes, size_t stride_bytes,
                                  unsigned distance_lines);
#endif

#endif /* COREMOD_PREFETCH_RANGE_H */
