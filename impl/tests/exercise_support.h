/*
 * exercise_support.h — checks and fixture helpers shared by the parts of coremod-exercise.
 *
 * coremod-exercise drives every function of the core API against the reference library directly
 * (no Criterion, no forking), so that valgrind, ASan+UBSan and TSan see one plain process doing
 * everything the library can do, error paths included.
 */
#ifndef COREMOD_EXERCISE_SUPPORT_H
#define COREMOD_EXERCISE_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "module_interface.h"

/* Records a failed check (thread-safe) and prints where; returns `ok`. */
bool exercise_check(bool ok, const char* file, int line, const char* expression, const char* fmt,
                    ...) __attribute__((format(printf, 5, 6)));
#define CHECK(condition, ...)                                                                      \
    exercise_check((condition), __FILE__, __LINE__, #condition, __VA_ARGS__)

/* Number of failed checks so far. */
int exercise_failure_count(void);

/* Set up once by main: the fixtures build directory and a private fixture log file. */
bool exercise_support_init(const char* fixtures_dir);
void exercise_support_finish(void);

/* "<fixtures>/<group>/<name>.so" into `out` (COREMOD_PATH_MAX bytes). */
void fixture_path(char* out, const char* group, const char* name);

/* A private scratch directory (created by exercise_support_init, removed at finish). */
const char* scratch_dir(void);

/* Loads modules/<name>.so into `system`; a failure is a failed check. */
module_handle_t load_fixture(module_system_t* system, const char* name);

/* The fixture log ($COREMOD_FIXTURE_LOG): empty it, count lines equal to `line`, and the index
 * (0-based) of the first such line, or -1. */
void fixture_log_reset(void);
int fixture_log_count(const char* line);
int fixture_log_position(const char* line);

/* The error callback recorder: every call is counted; the last code and message are kept. */
void recorder_install(void);
void recorder_reset(void);
int recorder_calls(void);
module_error_t recorder_last_code(void);
bool recorder_last_message_contains(const char* needle);

/* Checks that the last call failed with `code`, reporting it once through the callback with a
 * message containing `needle` (NULL: any non-empty message). Resets the recorder. */
#define EXPECT_FAILURE(code, needle, what)                                                         \
    expect_failure((code), (needle), (what), __FILE__, __LINE__)
void expect_failure(module_error_t code, const char* needle, const char* what, const char* file,
                    int line);

/* Checks that the last call succeeded: last error MODULE_SUCCESS, no callback. */
#define EXPECT_SUCCESS(what) expect_success((what), __FILE__, __LINE__)
void expect_success(const char* what, const char* file, int line);

/* True if the platform loader has `path` mapped in this process (dlopen RTLD_NOLOAD). */
bool file_is_mapped(const char* path);

/* Copies a file (for identity and scale tests); false on failure. */
bool copy_file(const char* from, const char* to);

/* Each part of the exercise. */
void exercise_errors(void);
void exercise_systems(void);
void exercise_load_arguments(void);
void exercise_bad_files(void);
void exercise_symbols(void);
void exercise_info(void);
void exercise_bad_handles(void);
void exercise_limit_and_pool(void);
void exercise_lifecycle(void);
void exercise_identity(void);
void exercise_destroy(void);
void exercise_threads(void);

#endif /* COREMOD_EXERCISE_SUPPORT_H */
