/*
 * numa_thread_apply.h — putting the calling thread where a placement says (SPEC 12.10).
 *
 * Linux: sched_setaffinity of the calling thread to the one assigned CPU. macOS has no affinity
 * API; the scheduler chooses P or E cores from the thread's quality-of-service class, so a
 * placement on a P core sets QOS_CLASS_USER_INITIATED and one on an E core QOS_CLASS_BACKGROUND
 * (the class macOS keeps on E cores).
 */
#ifndef COREMOD_NUMA_THREAD_APPLY_H
#define COREMOD_NUMA_THREAD_APPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Applies to the calling thread. False with a reason in `why` when the OS refuses or the
 * platform has no way to do it. */
bool numa_apply_to_calling_thread(uint32_t cpu, bool efficiency, char* why, size_t why_size);

#endif /* COREMOD_NUMA_THREAD_APPLY_H */
