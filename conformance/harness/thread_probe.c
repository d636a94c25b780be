/* thread_probe.c — see thread_probe.h. */
#include "thread_probe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

pid_t thread_probe_self(void)
{
    return (pid_t)syscall(SYS_gettid);
}

/* The number of the system call `tid` is blocked in, or -1 (running, not in a system call, or
 * not shown by this kernel). */
static long current_syscall(pid_t tid)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
    FILE* file = fopen(path, "re");
    if (file == NULL) {
        return -1;
    }
    char text[64] = "";
    char* got = fgets(text, sizeof(text), file);
    fclose(file);
    if (got == NULL) {
        return -1;
    }
    char* end = NULL;
    long number = strtol(text, &end, 10);
    return end == text ? -1 : number; /* "running" parses as nothing */
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool thread_probe_wait_in_syscall(pid_t tid, long number, double timeout_s)
{
    double deadline = now_s() + timeout_s;
    do {
        if (current_syscall(tid) == number) {
            return true;
        }
        struct timespec pause = {0, 1000000}; /* 1 ms between looks */
        nanosleep(&pause, NULL);
    } while (now_s() < deadline);
    return false;
}

bool thread_join_within(pthread_t thread, double timeout_s, void** result)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline); /* pthread_timedjoin_np measures CLOCK_REALTIME */
    long long nanos = deadline.tv_nsec + (long long)(timeout_s * 1e9);
    deadline.tv_sec += (time_t)(nanos / 1000000000LL);
    deadline.tv_nsec = (long)(nanos % 1000000000LL);
    return pthread_timedjoin_np(thread, result, &deadline) == 0;
}
