/* bench_instructions.c — see bench_instructions.h. */
#include "bench_instructions.h"

#include <stdio.h>

#if defined(COREMOD_BENCH_HAVE_CALLGRIND)
#include <valgrind/callgrind.h>
#endif

static bool counting;

bool bench_instructions_enable(char* err, size_t err_size)
{
#if defined(COREMOD_BENCH_HAVE_CALLGRIND)
    if (!RUNNING_ON_VALGRIND) {
        snprintf(err, err_size,
                 "--metric instructions needs valgrind: run it as valgrind --tool=callgrind "
                 "--collect-atstart=no coremod-bench --metric instructions ...");
        return false;
    }
    counting = true;
    return true;
#else
    snprintf(err, err_size,
             "--metric instructions is not available: coremod-bench was built without "
             "valgrind/callgrind.h (install valgrind and rebuild)");
    return false;
#endif
}

bool bench_instructions_enabled(void)
{
    return counting;
}

void bench_instructions_begin(void)
{
#if defined(COREMOD_BENCH_HAVE_CALLGRIND)
    if (counting) {
        CALLGRIND_TOGGLE_COLLECT;
    }
#endif
}

void bench_instructions_end(void)
{
#if defined(COREMOD_BENCH_HAVE_CALLGRIND)
    if (counting) {
        CALLGRIND_TOGGLE_COLLECT;
    }
#endif
}

void bench_instructions_dump(const char* operation)
{
#if defined(COREMOD_BENCH_HAVE_CALLGRIND)
    if (counting) {
        CALLGRIND_DUMP_STATS_AT(operation);
    }
#else
    (void)operation;
#endif
}
