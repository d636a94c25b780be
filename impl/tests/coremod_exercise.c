/*
 * coremod_exercise.c — coremod-exercise: drives every function of the core API, its error paths,
 * reference counts, destroy with modules loaded and a multi-threaded phase, against the library
 * it is linked with. Exits 0 when every check held, 1 when one failed, 2 on a usage error.
 *
 *     coremod-exercise <fixtures build dir>      (e.g. build/fixtures)
 *
 * COREMOD_EXERCISE_ITERATIONS sets the rounds per thread of the multi-threaded phase (default
 * 100). Meant to run under valgrind, ASan+UBSan and TSan: it checks results, the tools check the
 * memory and the locking.
 */
#include <stdio.h>
#include <sys/stat.h>

#include "exercise_support.h"

typedef struct {
    const char* name;
    void (*run)(void);
} exercise_part_t;

static const exercise_part_t parts[] = {
    {"errors", exercise_errors},
    {"systems", exercise_systems},
    {"load arguments", exercise_load_arguments},
    {"bad files", exercise_bad_files},
    {"symbols", exercise_symbols},
    {"info", exercise_info},
    {"bad handles", exercise_bad_handles},
    {"limit and pool", exercise_limit_and_pool},
    {"lifecycle", exercise_lifecycle},
    {"destroy", exercise_destroy},
    {"identity", exercise_identity},
    {"threads", exercise_threads},
};

int main(int argc, char** argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s <fixtures build dir>\n", argv[0]);
        return 2;
    }
    char probe[COREMOD_PATH_MAX];
    snprintf(probe, sizeof(probe), "%s/modules/example_module.so", argv[1]);
    struct stat status;
    if (stat(probe, &status) != 0) {
        fprintf(stderr, "%s: no fixtures in %s (missing %s); build them first\n", argv[0], argv[1],
                probe);
        return 2;
    }
    if (!exercise_support_init(argv[1])) {
        return 2;
    }
    /* Runs first, on a thread that has made no call yet (SPEC 7.1). */
    recorder_install();
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        int before = exercise_failure_count();
        parts[i].run();
        int failed = exercise_failure_count() - before;
        printf("%-16s %s\n", parts[i].name, failed == 0 ? "ok" : "FAILED");
        fflush(stdout);
    }
    module_set_error_callback(NULL);
    exercise_support_finish();
    int failures = exercise_failure_count();
    printf("%d failed check%s\n", failures, failures == 1 ? "" : "s");
    return failures == 0 ? 0 : 1;
}
