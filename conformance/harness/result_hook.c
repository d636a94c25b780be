/*
 * result_hook.c — the runner-process side of the suite: one JSON line per case.
 *
 * Criterion 2.4.1 calls report hooks in the runner process, never in the case processes. It calls
 * POST_TEST for cases that ended normally (passed, failed, skipped, timed out), TEST_CRASH instead
 * for cases killed by a signal in their body, and neither for a case that died in its init or fini
 * fixture; POST_ALL sees every case, including the ones --filter left out (as skipped, never run).
 * So POST_TEST and TEST_CRASH record their case, and POST_ALL records the abnormal ends that
 * neither saw. A case its own watchdog killed (case_watchdog.h) arrives as a crash with SIGKILL and
 * is reported as the timeout it was. The records go to $COREMOD_RESULTS_FILE (appended; nothing is
 * written when it is unset).
 */
#include <criterion/criterion.h>
#include <criterion/hooks.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case_outcome.h"
#include "case_step.h"
#include "case_tmpdir.h"
#include "case_watchdog.h"
#include "result_json.h"
#include "result_status.h"
#include "run_directory.h"
#include "runner_sanitizer.h"

#define RESULTS_FILE_ENV "COREMOD_RESULTS_FILE"

static char run_dir[4096];

/* Criterion calls the hooks from its event loop; the lock only makes record() safe should a
 * version call them from its reaper thread too. */
static pthread_mutex_t record_lock = PTHREAD_MUTEX_INITIALIZER;

/* Tests already recorded (pointers into Criterion's test table, stable for the whole run). */
static const struct criterion_test** recorded;
static size_t recorded_count;
static size_t recorded_capacity;

static bool already_recorded(const struct criterion_test* test)
{
    for (size_t i = 0; i < recorded_count; i++) {
        if (recorded[i] == test) {
            return true;
        }
    }
    return false;
}

static void remember(const struct criterion_test* test)
{
    if (recorded_count == recorded_capacity) {
        size_t capacity = recorded_capacity ? recorded_capacity * 2 : 256;
        const struct criterion_test** grown = realloc(recorded, capacity * sizeof(*grown));
        if (grown == NULL) {
            return; /* worst case a duplicate line; never a lost one */
        }
        recorded = grown;
        recorded_capacity = capacity;
    }
    recorded[recorded_count++] = test;
}

/* Reads and deletes the case's quality note; lines are joined with "; ". */
static void take_note(const char* id, char* note, size_t note_size)
{
    note[0] = '\0';
    char path[4096];
    if (run_dir[0] == '\0' || !conformance_note_path(path, sizeof(path), run_dir, id)) {
        return;
    }
    FILE* file = fopen(path, "re");
    if (file == NULL) {
        return;
    }
    char line[1024];
    while (fgets(line, sizeof(line), file) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        size_t used = strlen(note);
        snprintf(note + used, note_size - used, "%s%s", used ? "; " : "", line);
    }
    fclose(file);
    unlink(path);
}

static void append_line(const char* line)
{
    const char* path = getenv(RESULTS_FILE_ENV);
    if (path == NULL || path[0] == '\0') {
        return;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        fprintf(stderr, "coremod-conformance: cannot open %s: %s\n", path, strerror(errno));
        return;
    }
    /* One write per line: with O_APPEND the line lands whole even if a reader tails the file. */
    size_t length = strlen(line);
    if (write(fd, line, length) != (ssize_t)length) {
        fprintf(stderr, "coremod-conformance: short write to %s\n", path);
    }
    close(fd);
}

static void record_locked(const struct criterion_test_stats* stats)
{
    const struct criterion_test* test = stats->test;
    if (test == NULL || already_recorded(test)) {
        return;
    }
    remember(test);

    char id[256];
    snprintf(id, sizeof(id), "%s", test->name);
    for (char* c = id; *c != '\0'; c++) {
        if (*c == '_') {
            *c = '-';
        }
    }
    /* description = "NAME|clause|title" (CONFORMANCE_CASE); the title may itself hold '|'. */
    char description[1024];
    snprintf(description, sizeof(description), "%s",
             test->data && test->data->description ? test->data->description : "");
    const char* clause = "";
    const char* title = test->name;
    char* first_bar = strchr(description, '|');
    if (first_bar != NULL) {
        clause = first_bar + 1;
        char* second_bar = strchr(first_bar + 1, '|');
        if (second_bar != NULL) {
            *second_bar = '\0';
            title = second_bar + 1;
        }
    }

    char note[2048];
    take_note(id, note, sizeof(note));
    char step[1200];
    case_step_take(run_dir, id, step, sizeof(step));
    bool watchdog_fired = case_watchdog_fired(run_dir, id);
    const char* status = NULL;
    char message[4096];
    case_result_classify(stats, note, step, watchdog_fired, &status, message, sizeof(message));
    double elapsed_s = stats->elapsed_time;
    if (watchdog_fired && test->data != NULL) {
        elapsed_s = test->data->timeout + CASE_WATCHDOG_GRACE_S; /* Criterion measured nothing */
    }

    case_record_t result = {
        .id = id,
        .suite = test->category,
        .clause = clause,
        .title = title,
        .status = status,
        .message = message,
        .elapsed_s = elapsed_s,
    };
    char* line = case_record_json(&result);
    if (line != NULL) {
        append_line(line);
        free(line);
    }
}

static void record(const struct criterion_test_stats* stats)
{
    pthread_mutex_lock(&record_lock);
    record_locked(stats);
    pthread_mutex_unlock(&record_lock);
}

ReportHook(PRE_ALL)(struct criterion_test_set* tests)
{
    (void)tests;
    runner_process_mark();
    const char* tmp = getenv("TMPDIR");
    snprintf(run_dir, sizeof(run_dir), "%s/coremod-conformance-XXXXXX",
             (tmp != NULL && tmp[0] != '\0') ? tmp : "/tmp");
    if (mkdtemp(run_dir) == NULL) {
        fprintf(stderr, "coremod-conformance: cannot create a run directory: %s\n",
                strerror(errno));
        run_dir[0] = '\0';
        return;
    }
    /* Traversable but not listable by others: a case that drops root privileges (CORE-VAL-003)
     * still reaches its own directory inside. */
    chmod(run_dir, 0711);
    setenv(CONFORMANCE_RUN_DIR_ENV, run_dir, 1);
}

ReportHook(POST_TEST)(struct criterion_test_stats* stats)
{
    record(stats);
}

ReportHook(TEST_CRASH)(struct criterion_test_stats* stats)
{
    record(stats);
}

ReportHook(POST_ALL)(struct criterion_global_stats* all)
{
    for (struct criterion_suite_stats* suite = all->suites; suite != NULL; suite = suite->next) {
        for (struct criterion_test_stats* stats = suite->tests; stats != NULL;
             stats = stats->next) {
            /* Cases left out by --filter appear here as skipped without having run; only a case
             * that ended abnormally can have escaped POST_TEST and TEST_CRASH. */
            bool abnormal = stats->crashed || stats->timed_out || stats->signal != 0 ||
                            stats->exit_code != 0 || stats->test_status == CR_STATUS_FAILED;
            if (abnormal) {
                record(stats);
            }
        }
    }
    if (run_dir[0] != '\0') {
        /* Also removes what crashed cases could not clean up. */
        case_remove_tree(run_dir);
        unsetenv(CONFORMANCE_RUN_DIR_ENV);
        run_dir[0] = '\0';
    }
    pthread_mutex_lock(&record_lock);
    free(recorded);
    recorded = NULL;
    recorded_count = recorded_capacity = 0;
    pthread_mutex_unlock(&record_lock);
}
