/*
 * thread_probe.h — observing the case's own threads without timing assumptions.
 *
 * Some cases must know that a helper thread is blocked at a particular point (e.g. inside a
 * constructor that waits on a FIFO while the dynamic loader's lock is held) before they go on.
 * Linux shows the system call a thread is blocked in at /proc/self/task/TID/syscall.
 */
#ifndef CONFORMANCE_THREAD_PROBE_H
#define CONFORMANCE_THREAD_PROBE_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>

/* Kernel thread id of the calling thread. */
pid_t thread_probe_self(void);

/* Waits up to `timeout_s` seconds until thread `tid` is blocked in system call `number`
 * (SYS_openat, ...). False if it never was or the kernel does not show it. */
bool thread_probe_wait_in_syscall(pid_t tid, long number, double timeout_s);

/* pthread_join with a time limit: false if `thread` has not finished after `timeout_s` seconds
 * (it is then still joinable). */
bool thread_join_within(pthread_t thread, double timeout_s, void** result);

#endif /* CONFORMANCE_THREAD_PROBE_H */
