/* bench_failure.c — see bench_failure.h. */
#include "bench_failure.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

void bench_failure_set_message(bench_failure_t* failure, const char* call, const char* message)
{
    memset(failure, 0, sizeof(*failure));
    snprintf(failure->call, sizeof(failure->call), "%s", call);
    snprintf(failure->message, sizeof(failure->message), "%s", message ? message : "");
}

void bench_failure_from_dlerror(bench_failure_t* failure, const char* call)
{
    const char* why = dlerror();
    bench_failure_set_message(failure, call, why ? why : "failed without a dlerror() message");
}

void bench_failures_add(bench_failures_t* failures, const bench_failure_t* failure)
{
    failures->total++;
    if (failures->recorded < BENCH_FAILURES_RECORDED) {
        failures->items[failures->recorded++] = *failure;
    }
}

void bench_failures_merge(bench_failures_t* into, const bench_failures_t* from)
{
    for (size_t i = 0; i < from->recorded; i++) {
        bench_failures_add(into, &from->items[i]);
    }
    /* Failures `from` only counted are still failures. */
    into->total += from->total - from->recorded;
}
