/* numa_thread_apply.c — see numa_thread_apply.h. */
#include "numa_thread_apply.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#if defined(__linux__)
#include <sched.h>
#elif defined(__APPLE__)
#include <pthread.h>
#include <pthread/qos.h>
#endif

#if defined(__linux__)
bool numa_apply_to_calling_thread(uint32_t cpu, bool efficiency, char* why, size_t why_size)
{
    (void)efficiency; /* the CPU number says it all on Linux */
    /* A dynamically sized set: CPU numbers may exceed CPU_SETSIZE (1024) on large machines. */
    cpu_set_t* set = CPU_ALLOC(cpu + 1);
    if (set == NULL) {
        snprintf(why, why_size, "out of memory for a CPU set");
        return false;
    }
    size_t size = CPU_ALLOC_SIZE(cpu + 1);
    CPU_ZERO_S(size, set);
    CPU_SET_S(cpu, size, set);
    /* pid 0: the calling thread (Linux affinity is per thread). */
    int rc = sched_setaffinity(0, size, set);
    int error = errno;
    CPU_FREE(set);
    if (rc != 0) {
        snprintf(why, why_size, "sched_setaffinity to CPU %u failed: %s", cpu, strerror(error));
        return false;
    }
    return true;
}
#elif defined(__APPLE__)
bool numa_apply_to_calling_thread(uint32_t cpu, bool efficiency, char* why, size_t why_size)
{
    (void)cpu; /* macOS cannot pin a thread to a CPU */
    int rc = pthread_set_qos_class_self_np(
        efficiency ? QOS_CLASS_BACKGROUND : QOS_CLASS_USER_INITIATED, 0);
    if (rc != 0) {
        snprintf(why, why_size, "pthread_set_qos_class_self_np failed: %s", strerror(rc));
        return false;
    }
    return true;
}
#else
bool numa_apply_to_calling_thread(uint32_t cpu, bool efficiency, char* why, size_t why_size)
{
    (void)cpu;
    (void)efficiency;
    snprintf(why, why_size,
             "not supported: this platform has no thread placement call coremod uses");
    return false;
}
#endif
