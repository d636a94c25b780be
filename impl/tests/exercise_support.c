/* exercise_support.c — see exercise_support.h. */
#include "exercise_support.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static atomic_int failures;
static const char* fixtures;
static char scratch[256];
static char log_path[512];

bool exercise_check(bool ok, const char* file, int line, const char* expression, const char* fmt,
                    ...)
{
    if (ok) {
        return true;
    }
    atomic_fetch_add(&failures, 1);
    /* One fprintf per line keeps lines of concurrent failures whole. */
    char detail[1024];
    va_list args;
    va_start(args, fmt);
    vsnprintf(detail, sizeof(detail), fmt, args);
    va_end(args);
    fprintf(stderr, "FAIL %s:%d: %s: %s\n", file, line, expression, detail);
    return false;
}

int exercise_failure_count(void)
{
    return atomic_load(&failures);
}

bool exercise_support_init(const char* fixtures_dir)
{
    fixtures = fixtures_dir;
    snprintf(scratch, sizeof(scratch), "/tmp/coremod-exercise-XXXXXX");
    if (mkdtemp(scratch) == NULL) {
        perror("mkdtemp");
        return false;
    }
    snprintf(log_path, sizeof(log_path), "%s/fixture.log", scratch);
    /* Before any thread starts: fixture modules read it with getenv when they log. */
    setenv("COREMOD_FIXTURE_LOG", log_path, 1);
    fixture_log_reset();
    return true;
}

static int remove_entry(const char* path, const struct stat* status, int type, struct FTW* walk)
{
    (void)status;
    (void)type;
    (void)walk;
    return remove(path);
}

void exercise_support_finish(void)
{
    nftw(scratch, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void fixture_path(char* out, const char* group, const char* name)
{
    snprintf(out, COREMOD_PATH_MAX, "%s/%s/%s.so", fixtures, group, name);
}

const char* scratch_dir(void)
{
    return scratch;
}

module_handle_t load_fixture(module_system_t* system, const char* name)
{
    char path[COREMOD_PATH_MAX];
    fixture_path(path, "modules", name);
    module_handle_t handle = module_load(system, path);
    CHECK(handle != NULL, "loading %s failed: %s", path,
          module_get_error_string(module_get_last_error()));
    return handle;
}

/* ---- fixture log ---------------------------------------------------------------------------- */

void fixture_log_reset(void)
{
    int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        close(fd);
    }
}

/* Calls `visit` for each line of the log; stops when it returns false. */
static void for_each_log_line(bool (*visit)(const char* line, void* context), void* context)
{
    FILE* log = fopen(log_path, "r");
    if (log == NULL) {
        return;
    }
    char line[512];
    while (fgets(line, sizeof(line), log) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        if (!visit(line, context)) {
            break;
        }
    }
    fclose(log);
}

typedef struct {
    const char* wanted;
    int count;
    int index;
    int position;
} log_search_t;

static bool visit_line(const char* line, void* context)
{
    log_search_t* search = context;
    if (strcmp(line, search->wanted) == 0) {
        if (search->count++ == 0) {
            search->position = search->index;
        }
    }
    search->index++;
    return true;
}

int fixture_log_count(const char* line)
{
    log_search_t search = {line, 0, 0, -1};
    for_each_log_line(visit_line, &search);
    return search.count;
}

int fixture_log_position(const char* line)
{
    log_search_t search = {line, 0, 0, -1};
    for_each_log_line(visit_line, &search);
    return search.position;
}

/* ---- error callback recorder ---------------------------------------------------------------- */

static pthread_mutex_t recorder_lock = PTHREAD_MUTEX_INITIALIZER;
static int recorded_calls;
static module_error_t recorded_code;
static char recorded_message[16384];

static void recorder_callback(module_error_t error, const char* message)
{
    static int verbose = -1; /* COREMOD_EXERCISE_VERBOSE=1 prints every message */
    if (verbose < 0) {
        const char* setting = getenv("COREMOD_EXERCISE_VERBOSE");
        verbose = setting != NULL && setting[0] == '1';
    }
    pthread_mutex_lock(&recorder_lock);
    if (verbose) {
        printf("  callback %s: %s\n", module_get_error_string(error), message);
    }
    recorded_calls++;
    recorded_code = error;
    snprintf(recorded_message, sizeof(recorded_message), "%s", message != NULL ? message : "");
    pthread_mutex_unlock(&recorder_lock);
}

void recorder_install(void)
{
    module_set_error_callback(recorder_callback);
    recorder_reset();
}

void recorder_reset(void)
{
    pthread_mutex_lock(&recorder_lock);
    recorded_calls = 0;
    recorded_code = MODULE_SUCCESS;
    recorded_message[0] = '\0';
    pthread_mutex_unlock(&recorder_lock);
}

int recorder_calls(void)
{
    pthread_mutex_lock(&recorder_lock);
    int calls = recorded_calls;
    pthread_mutex_unlock(&recorder_lock);
    return calls;
}

module_error_t recorder_last_code(void)
{
    pthread_mutex_lock(&recorder_lock);
    module_error_t code = recorded_code;
    pthread_mutex_unlock(&recorder_lock);
    return code;
}

bool recorder_last_message_contains(const char* needle)
{
    pthread_mutex_lock(&recorder_lock);
    bool found = strstr(recorded_message, needle) != NULL;
    pthread_mutex_unlock(&recorder_lock);
    return found;
}

void expect_failure(module_error_t code, const char* needle, const char* what, const char* file,
                    int line)
{
    module_error_t last = module_get_last_error();
    exercise_check(last == code, file, line, "last error", "%s: expected %s, got %s", what,
                   module_get_error_string(code), module_get_error_string(last));
    int calls = recorder_calls();
    exercise_check(calls == 1, file, line, "callback calls",
                   "%s: callback called %d times, "
                   "expected once",
                   what, calls);
    exercise_check(recorder_last_code() == code, file, line, "callback code", "%s: callback got %s",
                   what, module_get_error_string(recorder_last_code()));
    exercise_check(recorded_message[0] != '\0', file, line, "callback message", "%s: empty message",
                   what);
    if (needle != NULL) {
        exercise_check(recorder_last_message_contains(needle), file, line, "callback message",
                       "%s: message \"%s\" does not contain \"%s\"", what, recorded_message,
                       needle);
    }
    recorder_reset();
}

void expect_success(const char* what, const char* file, int line)
{
    module_error_t last = module_get_last_error();
    exercise_check(last == MODULE_SUCCESS, file, line, "last error",
                   "%s: expected success, "
                   "got %s",
                   what, module_get_error_string(last));
    int calls = recorder_calls();
    exercise_check(calls == 0, file, line, "callback calls",
                   "%s: callback called %d times on "
                   "success (last: %s)",
                   what, calls, recorded_message);
    recorder_reset();
}

/* ---- files ------------------------------------------------------------------------------------
 */

bool file_is_mapped(const char* path)
{
    void* library = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
    if (library != NULL) {
        dlclose(library);
        return true;
    }
    return false;
}

bool copy_file(const char* from, const char* to)
{
    FILE* in = fopen(from, "rb");
    if (in == NULL) {
        return false;
    }
    FILE* out = fopen(to, "wb");
    if (out == NULL) {
        fclose(in);
        return false;
    }
    char buffer[8192];
    size_t got;
    bool ok = true;
    while ((got = fread(buffer, 1, sizeof(buffer), in)) > 0) {
        ok = ok && fwrite(buffer, 1, got, out) == got;
    }
    fclose(in);
    return fclose(out) == 0 && ok;
}
